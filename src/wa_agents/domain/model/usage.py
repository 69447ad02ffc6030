"""What each agent turn cost: tokens, latency, the price of them, and the budgets on top.

A ``TurnUsage`` is written with the reply it paid for (one unit of work). Prices come from a
``PriceTable``: US dollars per million input and output tokens for each model name; a model
missing from the table costs 0 (and says so: ``priced`` is False).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wa_agents.domain.model.errors import ValidationError

MILLION = 1_000_000


def prompt_version(system_prompt: str) -> str:
    """The prompt's version: the first 12 hex digits of its SHA-256 (same text, same version)."""
    return hashlib.sha256(system_prompt.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Price:
    input_per_million: float
    output_per_million: float


@dataclass(frozen=True, slots=True)
class PriceTable:
    prices: Mapping[str, Price] = field(default_factory=dict)

    def price_of(self, model: str) -> Price | None:
        """The model's price; a dated name (``gpt-4o-mini-2024-07-18``) takes the price of
        the longest listed name it starts with."""
        if model in self.prices:
            return self.prices[model]
        prefixes = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(prefixes, key=len)] if prefixes else None

    def cost(self, model: str, tokens_in: int, tokens_out: int) -> float:
        price = self.price_of(model)
        if price is None:
            return 0.0
        total = tokens_in * price.input_per_million + tokens_out * price.output_per_million
        return round(total / MILLION, 8)

    def priced(self, model: str) -> bool:
        return self.price_of(model) is not None

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> PriceTable:
        """From ``{"model": {"input": 0.15, "output": 0.6}, ...}`` (USD per 1M tokens)."""
        prices: dict[str, Price] = {}
        for model, entry in raw.items():
            if not isinstance(entry, Mapping):
                raise ValidationError(f"price of {model!r} must be an object {{input, output}}")
            try:
                price = Price(float(entry["input"]), float(entry["output"]))
            except (KeyError, TypeError, ValueError):
                raise ValidationError(
                    f"price of {model!r} needs numbers 'input' and 'output' (USD per 1M tokens)"
                ) from None
            if price.input_per_million < 0 or price.output_per_million < 0:
                raise ValidationError(f"price of {model!r} must not be negative")
            prices[str(model)] = price
        return cls(prices)


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnUsage:
    """One agent turn (or a command's model call): what ran, how long, how many tokens."""

    id: str
    agent_id: str | None
    session_id: str
    contact_jid: str
    message_id: str | None  # the reply this turn produced
    model: str
    prompt_version: str
    tokens_in: int
    tokens_out: int
    latency_ms: int
    cost_usd: float
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    created_at: datetime

    @property
    def day(self) -> str:
        return self.created_at.astimezone(UTC).date().isoformat()


class UsageGroup(enum.StrEnum):
    AGENT = "agent"
    SESSION = "session"
    DAY = "day"


@dataclass(frozen=True, slots=True)
class UsageTotals:
    turns: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out


@dataclass(frozen=True, slots=True)
class UsageRow:
    key: str
    totals: UsageTotals
    label: str = ""


@dataclass(frozen=True, slots=True)
class Budget:
    """An agent's monthly allowance (calendar month, UTC). ``None`` means no limit."""

    monthly_tokens: int | None = None
    monthly_cost_usd: float | None = None
    message: str = (
        "Sorry, I can't answer more messages this month. A person will get back to you here."
    )

    def __post_init__(self) -> None:
        if self.monthly_tokens is not None and self.monthly_tokens < 1:
            raise ValidationError("budget.monthly_tokens must be at least 1 (or null)")
        if self.monthly_cost_usd is not None and self.monthly_cost_usd <= 0:
            raise ValidationError("budget.monthly_cost_usd must be above 0 (or null)")
        if not self.message.strip() or len(self.message) > 1000:
            raise ValidationError("budget.message must be 1-1000 characters")

    @property
    def limited(self) -> bool:
        return self.monthly_tokens is not None or self.monthly_cost_usd is not None

    def exceeded_by(self, spent: UsageTotals) -> bool:
        """Whether ``spent`` (this month so far) has reached the allowance."""
        if self.monthly_tokens is not None and spent.tokens >= self.monthly_tokens:
            return True
        return self.monthly_cost_usd is not None and spent.cost_usd >= self.monthly_cost_usd


def month_start(now: datetime) -> datetime:
    """Midnight UTC on the first day of ``now``'s month: where a monthly budget restarts."""
    utc = now.astimezone(UTC)
    return utc.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
