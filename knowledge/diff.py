"""Differences between versions of an item, line by line (for the history page)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from knowledge.models import KnowledgeVersion


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add" | "remove" | "context" | "gap"
    text: str


def version_text(version: KnowledgeVersion) -> list[str]:
    """The version as lines: title, summary, body, then the fields as `name: value`."""
    lines = [f"# {version.title}", "", *version.summary.splitlines(), ""]
    lines += version.body_source.splitlines()
    lines.append("")
    for name, value in sorted((version.fields or {}).items()):
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if value not in (None, "", False):
            lines.append(f"{name}: {value}")
    return lines


def diff_versions(older: KnowledgeVersion | None, newer: KnowledgeVersion) -> list[DiffLine]:
    """What changed from `older` to `newer` with two lines of context."""
    before = version_text(older) if older is not None else []
    after = version_text(newer)
    result: list[DiffLine] = []
    for line in difflib.unified_diff(before, after, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if result:  # a gap between two changed places, not before the first
                result.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            result.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            result.append(DiffLine("remove", line[1:]))
        else:
            result.append(DiffLine("context", line[1:]))
    return result


def history(versions: list[KnowledgeVersion]) -> list[tuple[KnowledgeVersion, list[DiffLine]]]:
    """Versions newest first, each with its diff against the one before it."""
    ordered = sorted(versions, key=lambda v: v.number)
    pairs = [(v, diff_versions(ordered[i - 1] if i else None, v)) for i, v in enumerate(ordered)]
    return list(reversed(pairs))
