"""The UnitOfWork contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.unit_of_work import (
    UnitOfWorkContract,
)


class TestUnitOfWork(UnitOfWorkContract):
    pass
