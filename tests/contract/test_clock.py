"""The Clock and IdGenerator contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.clock import (
    ClockContract,
    IdGeneratorContract,
)


class TestClock(ClockContract):
    pass


class TestIdGenerator(IdGeneratorContract):
    pass
