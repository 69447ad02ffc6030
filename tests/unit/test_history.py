from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wa_agents.domain.model.history import estimate_tokens, fit_history


def test_keeps_the_newest_that_fit() -> None:
    assert fit_history([5, 5, 5, 5], 12, lambda x: x) == [5, 5]
    assert fit_history([1, 2, 3], 0, lambda x: x) == []
    assert fit_history([], 100, lambda x: x) == []


def test_estimate_grows_with_text() -> None:
    assert estimate_tokens("a" * 400) > estimate_tokens("a" * 40) > 0


@given(st.lists(st.integers(0, 50), max_size=40), st.integers(0, 500))
def test_window_is_a_suffix_within_budget_and_maximal(costs: list[int], budget: int) -> None:
    items = list(enumerate(costs))
    kept = fit_history(items, budget, lambda item: item[1])
    assert kept == items[len(items) - len(kept) :]
    assert sum(c for _, c in kept) <= budget
    if len(kept) < len(items):
        assert sum(c for _, c in kept) + items[len(items) - len(kept) - 1][1] > budget
