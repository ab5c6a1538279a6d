"""The small-cell rule as a table: no figure from 1 to 4, and no hidden figure that the
shown ones and their total give away."""

from __future__ import annotations

from itertools import product

import pytest

from insight.suppression import (
    cell,
    change,
    median_cell,
    median_of_histogram,
    suppress_partition,
)


@pytest.mark.parametrize(
    ("value", "shown"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (1234, "1234")]
)
def test_a_figure_from_one_to_four_is_shown_as_less_than_five(value, shown):
    assert cell(value).shown == shown


def test_negative_counts_are_a_bug():
    with pytest.raises(ValueError, match="negative"):
        cell(-1)


def _shown(partition):
    return {k: c.value for k, c in partition.cells.items()}, partition.total.value


@pytest.mark.parametrize(
    ("values", "expected_cells", "expected_total"),
    [
        # nothing small: everything shown
        ({"a": 10, "b": 7}, {"a": 10, "b": 7}, 17),
        # one small cell: the smallest other non-zero cell goes too
        ({"a": 10, "b": 7, "c": 3}, {"a": 10, "b": None, "c": None}, 20),
        # two small cells protect each other
        ({"a": 10, "b": 2, "c": 3}, {"a": 10, "b": None, "c": None}, 15),
        # zeros are shown and are never the second cell
        ({"a": 9, "b": 0, "c": 1}, {"a": None, "b": 0, "c": None}, 10),
        # one small cell and nothing else to hide: the total goes
        ({"a": 3, "b": 0}, {"a": None, "b": 0}, None),
        # a small total hides everything that is not zero
        ({"a": 2, "b": 1}, {"a": None, "b": None}, None),
        ({}, {}, 0),
    ],
)
def test_secondary_suppression_in_a_partition(values, expected_cells, expected_total):
    assert _shown(suppress_partition(values)) == (expected_cells, expected_total)


def test_the_secondary_cell_is_marked_as_such():
    partition = suppress_partition({"a": 10, "b": 7, "c": 3})
    assert partition.cells["b"].is_secondary
    assert not partition.cells["c"].is_secondary


def test_a_small_rest_of_the_total_counts_as_a_hidden_cell():
    # 20 members, 18 of them with a sector: the 2 without one would be 20 - 18.
    assert _shown(suppress_partition({"a": 10, "b": 8}, total=20)) == ({"a": 10, "b": None}, 20)


def test_a_large_rest_of_the_total_hides_a_single_small_cell():
    assert _shown(suppress_partition({"a": 10, "b": 3}, total=20)) == ({"a": 10, "b": None}, 20)


def test_a_total_below_its_cells_is_a_bug():
    with pytest.raises(ValueError, match="smaller"):
        suppress_partition({"a": 10}, total=5)


def test_no_hidden_cell_can_be_worked_out_from_the_shown_ones():
    """Exhaustively for up to four cells of 0..7: every small cell is hidden, and either
    no cell is hidden, or the total is, or at least two cells are (so the total minus
    the shown cells is a sum of two unknowns)."""
    for size in range(1, 5):
        for values in product(range(8), repeat=size):
            partition = suppress_partition(dict(enumerate(values)))
            hidden = [k for k, c in partition.cells.items() if c.is_suppressed]
            assert all(partition.cells[k].is_suppressed for k, v in enumerate(values) if 0 < v < 5)
            assert not hidden or partition.total.is_suppressed or len(hidden) >= 2, values
            assert partition.total.value in {None, sum(values)}


def test_a_change_is_shown_only_when_both_figures_are():
    assert change(cell(12), cell(7)) == 5
    assert change(cell(12), cell(3)) is None  # 12 - change would give the hidden 3
    assert change(cell(2), cell(9)) is None
    assert change(cell(0), cell(0)) == 0


def test_a_median_needs_five_values():
    assert median_cell([1, 2, 3, 4]) is None
    assert median_cell([5, 1, 3, 2, 4]) == 3
    assert median_cell([1, 2, 3, 4, 5, 6]) == 3.5


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [
        ({}, None),
        ({7: 4}, None),  # four answers: too few
        ({7: 5}, 7),
        ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, 3),
        ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1}, 3.5),
        ({10: 3, 2: 2, 40: 0}, 10),  # 2 2 10 10 10
        ({1: 3, 9: 3}, 5),  # 1 1 1 9 9 9: between the middle two
    ],
)
def test_a_median_of_a_histogram_is_the_median_of_its_values(histogram, expected):
    assert median_of_histogram(histogram) == expected
    values = [v for v, n in histogram.items() for _ in range(n)]
    assert median_of_histogram(histogram) == median_cell(values)
