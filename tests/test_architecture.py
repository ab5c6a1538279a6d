"""The architecture, checked on every run (see ARCHITECTURE.md).

Read from the source with `ast`, imports inside functions included:

- a package imports only packages listed before it in LAYERS;
- no two modules import each other, directly or through others (no import cycle);
- no app module is over 500 lines;
- no hidden dependencies: `importlib`, `find_spec`, `except ImportError`, or an
  `except Exception` that swallows the error (neither re-raises nor logs it);
- every test factory (`make_*`, `create_*` fixture or helper) is defined once in tests/.

`python -m tests.test_architecture` prints the figures.
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The layer order: a package may import only the packages listed before it.
LAYERS = (
    "core",
    "auth",
    "groups",
    "forum",
    "events",
    "knowledge",
    "advice",
    "insight",
    "moderation",
    "notifications",
    "search",
    "home",
    "api",
    "tasks",
)
# Outside the layers: entry points and tooling, which may import anything.
OUTSIDE = {"tests", "bench", "migrations", "wsgi", "composition"}
SKIPPED_DIRS = {".venv", "venv", ".git", "node_modules", "static", "templates", "translations"}
MAX_LINES = 500
LOGGING_CALLS = {"exception", "error", "warning", "critical"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "forum.views"
    target: str  # the imported module, e.g. "groups.models"
    line: int


def python_files(top: Path = ROOT) -> list[Path]:
    found = []
    for path in sorted(top.rglob("*.py")):
        parts = path.relative_to(top).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        found.append(path)
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def top_level(module: str) -> str:
    return module.split(".", 1)[0]


def app_files() -> list[Path]:
    return [path for path in python_files() if top_level(module_name(path)) not in OUTSIDE]


def top_level_packages() -> set[str]:
    return {top_level(module_name(path)) for path in app_files()}


@functools.cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports_of(path: Path, known: set[str]) -> list[Import]:
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(_parse(path), name, package, known)


def imports_in(tree: ast.Module, name: str, package: str, known: set[str]) -> list[Import]:
    """Every import in the module (module level and inside functions), resolved to the
    project modules in `known`; imports of third-party modules are left out."""
    found: list[Import] = []

    def add(target: str, line: int) -> None:
        # `a.b.c` where only `a.b` is a module: the import is of `a.b`.
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.append(Import(name, target, line))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                add(submodule if submodule in known else source, node.lineno)
    return found


def all_imports() -> list[Import]:
    files = python_files()
    known = {module_name(path) for path in files}
    return [imp for path in files for imp in imports_of(path, known)]


def _rank(package: str) -> int | None:
    return LAYERS.index(package) if package in LAYERS else None


def upward_imports(imports: list[Import]) -> list[str]:
    """Imports from a package of a package at its level or above (other than itself)."""
    found = []
    for imp in imports:
        source, target = top_level(imp.module), top_level(imp.target)
        if source in OUTSIDE or source == target:
            continue
        if target in OUTSIDE:
            found.append(f"{imp.module}:{imp.line} imports {imp.target} (outside the layers)")
            continue
        source_rank, target_rank = _rank(source), _rank(target)
        if source_rank is None or target_rank is None or target_rank >= source_rank:
            found.append(f"{imp.module}:{imp.line} imports {imp.target} ({source} → {target})")
    return found


def mutual_package_pairs(imports: list[Import]) -> list[tuple[str, str]]:
    edges = {
        (top_level(imp.module), top_level(imp.target))
        for imp in imports
        if top_level(imp.module) not in OUTSIDE and top_level(imp.target) not in OUTSIDE
    }
    return sorted(
        {tuple(sorted(pair)) for pair in edges if pair[0] != pair[1] and pair[::-1] in edges}
    )


def module_cycles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in imports:
        if top_level(imp.module) not in OUTSIDE:
            graph[imp.module].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _swallows(handler: ast.ExceptHandler) -> bool:
    for node in ast.walk(handler):
        if isinstance(node, ast.Raise):
            return False
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOGGING_CALLS
        ):
            return False
    return True


def _caught_names(handler: ast.ExceptHandler) -> set[str]:
    kinds = handler.type
    items = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds] if kinds else []
    return {item.id if isinstance(item, ast.Name) else ast.unparse(item) for item in items}


def hidden_imports() -> list[str]:
    """`importlib`, `find_spec`, `except ImportError` and swallowed `Exception`s."""
    found = []
    for path in app_files():
        name = module_name(path)
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [alias.name for alias in node.names]
                if isinstance(node, ast.ImportFrom):
                    modules.append(node.module or "")
                if any(module.split(".")[0] == "importlib" for module in modules):
                    found.append(f"{name}:{node.lineno} imports importlib")
            elif isinstance(node, ast.Attribute | ast.Name):
                label = node.attr if isinstance(node, ast.Attribute) else node.id
                if label in {"find_spec", "import_module", "__import__"}:
                    found.append(f"{name}:{node.lineno} uses {label}")
            elif isinstance(node, ast.ExceptHandler):
                caught = _caught_names(node)
                if caught & {"ImportError", "ModuleNotFoundError"}:
                    found.append(f"{name}:{node.lineno} catches ImportError")
                if (not caught or caught & {"Exception", "BaseException"}) and _swallows(node):
                    found.append(
                        f"{name}:{node.lineno} swallows {'/'.join(caught) or 'everything'}"
                    )
    return found


def long_modules() -> list[str]:
    found = []
    for path in app_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            found.append(f"{module_name(path)}: {lines} lines")
    return found


def _is_factory(name: str) -> bool:
    return name.startswith(("make_", "create_")) or name in {"add_member", "join", "mark_read"}


def duplicated_factories() -> list[str]:
    """Test factories (fixtures or helpers named make_*/create_*) defined more than once."""
    places: dict[str, list[str]] = defaultdict(list)
    for path in python_files(ROOT / "tests"):
        for node in _parse(path).body:
            if isinstance(node, ast.FunctionDef) and _is_factory(node.name):
                places[node.name].append(str(path.relative_to(ROOT)))
    return [
        f"{name}: {', '.join(where)}" for name, where in sorted(places.items()) if len(where) > 1
    ]


# --- the tests ---------------------------------------------------------------------------


def test_every_top_level_package_has_a_place_in_the_layer_order():
    unplaced = sorted(top_level_packages() - set(LAYERS))
    assert unplaced == [], f"add these to LAYERS (and ARCHITECTURE.md): {unplaced}"


def test_packages_import_only_the_layers_below_them():
    assert upward_imports(all_imports()) == []


def test_no_two_packages_import_each_other():
    assert mutual_package_pairs(all_imports()) == []


def test_there_is_no_import_cycle_between_modules():
    assert module_cycles(all_imports()) == []


def test_no_dependency_is_hidden():
    assert hidden_imports() == []


def test_no_app_module_is_over_500_lines():
    assert long_modules() == []


def test_every_test_factory_is_defined_once():
    assert duplicated_factories() == []


def test_the_composition_lists_the_features_in_layer_order():
    from composition import FEATURES

    packages = [top_level(feature.views.__name__) for feature in FEATURES]
    assert packages == sorted(packages, key=LAYERS.index)


def test_the_checker_sees_an_import_inside_a_function():
    tree = ast.parse("def later():\n    from tasks import app\n    from . import db\n")
    imports = imports_in(tree, "core.probe", "core", {"tasks", "tasks.app", "core.db"})
    assert imports == [Import("core.probe", "tasks.app", 2), Import("core.probe", "core.db", 3)]
    assert upward_imports(imports) == ["core.probe:2 imports tasks.app (core → tasks)"]


def test_the_checker_finds_a_cycle():
    imports = [Import("a.x", "a.y", 1), Import("a.y", "a.z", 1), Import("a.z", "a.x", 1)]
    assert module_cycles(imports) == [["a.x", "a.y", "a.z"]]


if __name__ == "__main__":
    everything = all_imports()
    unplaced = sorted(top_level_packages() - set(LAYERS))
    figures = {
        "packages outside the order": unplaced,
        "pairs of mutually importing packages": mutual_package_pairs(everything),
        "module cycles": module_cycles(everything),
        "upward imports": upward_imports(everything),
        "hidden imports": hidden_imports(),
        "modules over 500 lines": long_modules(),
        "duplicated factories": duplicated_factories(),
    }
    for label, items in figures.items():
        print(f"{label}: {len(items)}")
        for item in items:
            print(f"    {item}")
