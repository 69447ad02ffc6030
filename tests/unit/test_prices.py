"""The price table (WA_MODEL_PRICES), prompt versions and budgets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.usage import Budget, Price, UsageTotals, month_start, prompt_version
from wa_agents.entrypoints.settings import SettingsError, load_settings

TABLE = '{"gpt-4o-mini": {"input": 0.15, "output": 0.6}, "gpt-4o": {"input": 2.5, "output": 10}}'


def test_prices_from_json_cost_per_million_tokens_and_dated_names_match() -> None:
    prices = load_settings({"WA_MODEL_PRICES": TABLE}).model_prices
    assert prices.prices["gpt-4o"] == Price(2.5, 10.0)
    assert prices.cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert prices.cost("gpt-4o-mini-2024-07-18", 2_000, 1_000) == pytest.approx(0.0009)
    assert prices.cost("gpt-4o-2024-08-06", 1_000, 0) == pytest.approx(0.0025)  # longest prefix
    assert prices.cost("llama3", 10_000, 10_000) == 0.0 and not prices.priced("llama3")
    assert load_settings({}).model_prices.prices == {}


def test_prices_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text(TABLE)
    assert load_settings({"WA_MODEL_PRICES": str(path)}).model_prices.priced("gpt-4o")


@pytest.mark.parametrize(
    "raw",
    ['{"gpt-4o": 3}', '{"gpt-4o": {"input": "cheap", "output": 1}}', "[1, 2]", "{not json",
     '{"m": {"input": -1, "output": 1}}', "/no/such/prices.json"],
)  # fmt: skip
def test_a_bad_price_table_names_the_variable(raw: str) -> None:
    with pytest.raises(SettingsError, match="WA_MODEL_PRICES"):
        load_settings({"WA_MODEL_PRICES": raw})


def test_prompt_version_is_stable_and_changes_with_the_prompt() -> None:
    assert prompt_version("Be kind.") == prompt_version("Be kind.")
    assert prompt_version("Be kind.") != prompt_version("Be kind!")
    assert len(prompt_version("")) == 12


def test_budgets_are_reached_by_tokens_or_cost_and_restart_each_month() -> None:
    assert not Budget().limited and not Budget().exceeded_by(UsageTotals(9, 10**9, 0, 10**6))
    tokens = Budget(monthly_tokens=100)
    assert not tokens.exceeded_by(UsageTotals(1, 60, 39, 0.0))
    assert tokens.exceeded_by(UsageTotals(1, 60, 40, 0.0))
    assert Budget(monthly_cost_usd=1.0).exceeded_by(UsageTotals(1, 0, 0, 1.0))
    with pytest.raises(ValidationError):
        Budget(monthly_tokens=0)
    with pytest.raises(ValidationError):
        Budget(message=" ")
    now = datetime(2026, 3, 17, 15, 4, tzinfo=UTC)
    assert month_start(now) == datetime(2026, 3, 1, tzinfo=UTC)
