"""The feature packages and the optional modules each may provide."""

from __future__ import annotations

import importlib
from types import ModuleType

# Feature packages in dependency order.
FEATURES = (
    "core",
    "auth",
    "groups",
    "forum",
    "events",
    "insight",
    "moderation",
    "notifications",
    "search",
)


def feature_modules(name: str) -> list[ModuleType]:
    """`<feature>.<name>` for every feature that has such a module."""
    found = []
    for feature in FEATURES:
        module_name = f"{feature}.{name}"
        try:
            found.append(importlib.import_module(module_name))
        except ModuleNotFoundError as exc:
            if exc.name not in {feature, module_name}:
                raise
    return found
