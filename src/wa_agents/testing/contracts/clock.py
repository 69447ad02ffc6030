"""Contracts of ``Clock`` and ``IdGenerator``. Fixtures: ``clock``; ``ids``."""

from __future__ import annotations

from wa_agents.ports.clock import Clock, IdGenerator


class ClockContract:
    def test_now_is_timezone_aware_utc(self, clock: Clock) -> None:
        now = clock.now()
        assert now.tzinfo is not None and now.utcoffset() is not None
        assert now.utcoffset().total_seconds() == 0  # type: ignore[union-attr]

    def test_now_never_goes_backwards(self, clock: Clock) -> None:
        readings = [clock.now() for _ in range(100)]
        assert readings == sorted(readings)


class IdGeneratorContract:
    def test_ids_are_unique_and_sort_in_creation_order(self, ids: IdGenerator) -> None:
        made = [ids.new_id() for _ in range(2000)]
        assert len(set(made)) == len(made)
        assert made == sorted(made)
        assert all(isinstance(i, str) and 0 < len(i) <= 64 for i in made)
