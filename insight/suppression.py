"""The small-cell rule, in one place: every figure on the insight pages, in the CSV and
in the quarterly email passes through here.

Statistics agencies suppress small cells: a count from 1 to 4 is never shown ("< 5"),
because it may single out a member. Suppressing one cell is not enough when the cells
add up to a total that is shown: the total minus the other cells gives the hidden one
away. So in a *partition* (cells that add up to a shown total) a second cell is
suppressed as well whenever exactly one is hidden (secondary suppression), choosing the
smallest other non-zero cell; if there is none, the total goes.

Pure functions, no database, no Flask: tested as a table.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

THRESHOLD = 5
SUPPRESSED_LABEL = "< 5"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    """A figure as it may be shown. `value` is None when suppressed."""

    value: int | None
    is_secondary: bool = False

    @property
    def is_suppressed(self) -> bool:
        return self.value is None

    @property
    def shown(self) -> str:
        return SUPPRESSED_LABEL if self.value is None else str(self.value)

    def __str__(self) -> str:
        return self.shown


def is_small(value: int) -> bool:
    """A count that may not be shown: 1 to 4 (0 says nobody, which singles out no one)."""
    return 0 < value < THRESHOLD


def cell(value: int) -> Cell:
    """One figure on its own (primary suppression only)."""
    if value < 0:
        raise ValueError("counts are never negative")
    return Cell(None if is_small(value) else value)


@dataclass(frozen=True)
class Partition(Generic[K]):
    """Cells that add up to `total`, after primary and secondary suppression."""

    cells: dict[K, Cell]
    total: Cell


def suppress_partition(values: Mapping[K, int], total: int | None = None) -> Partition[K]:
    """Suppress a breakdown whose cells add up to `total` (the sum when not given).

    After this no hidden cell can be worked out from the shown cells and the shown
    total: either nothing is hidden, or at least two cells are (or the total is).
    A total larger than the sum is allowed: the difference is one more cell the reader
    can work out, so a small difference is protected like a hidden cell.
    """
    if any(v < 0 for v in values.values()):
        raise ValueError("counts are never negative")
    total_value = sum(values.values()) if total is None else total
    remainder = total_value - sum(values.values())
    if remainder < 0:
        raise ValueError("the total is smaller than its cells")
    hidden = {key for key, value in values.items() if is_small(value)}
    secondary: set[K] = set()
    total_hidden = is_small(total_value)
    # The part of the total in no cell is total minus the cells: a small one counts as a
    # hidden cell. A large one is not shown either, so with it a single hidden cell
    # stays hidden (the reader only learns the sum of the two).
    hidden_count = len(hidden) + (1 if is_small(remainder) else 0)
    is_protected = remainder >= THRESHOLD
    if not total_hidden and hidden_count == 1 and not is_protected:
        candidates = sorted(
            (value, index, key)
            for index, (key, value) in enumerate(values.items())
            if key not in hidden and value > 0
        )
        if candidates:
            secondary.add(candidates[0][2])
        else:
            total_hidden = True
    cells = {
        key: Cell(None, is_secondary=key in secondary)
        if key in hidden or key in secondary
        else Cell(value)
        for key, value in values.items()
    }
    return Partition(cells=cells, total=Cell(None if total_hidden else total_value))


def change(current: Cell, previous: Cell) -> int | None:
    """Current minus previous, or None when either is hidden (the change would reveal
    the hidden one)."""
    if current.value is None or previous.value is None:
        return None
    return current.value - previous.value


def median_cell(values: list[float]) -> float | None:
    """The median of at least THRESHOLD values, else None (a median of a handful of
    answers describes individual members)."""
    if len(values) < THRESHOLD:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def median_of_histogram(counts: Mapping[int, int]) -> float | None:
    """`median_cell` of the values a histogram {value: how often} stands for, without
    writing them out: None for fewer than THRESHOLD values."""
    total = sum(counts.values())
    if total < THRESHOLD:
        return None
    ordered = sorted((value, n) for value, n in counts.items() if n)

    def nth(index: int) -> int:
        seen = 0
        for value, n in ordered:
            seen += n
            if index < seen:
                return value
        raise IndexError(index)

    middle = total // 2
    if total % 2:
        return nth(middle)
    return (nth(middle - 1) + nth(middle)) / 2
