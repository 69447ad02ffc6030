"""The SessionRepository contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.sessions import (
    SessionRepositoryContract,
)


class TestSessionRepository(SessionRepositoryContract):
    pass
