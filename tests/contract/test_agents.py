"""The AgentRepository contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.agents import (
    AgentRepositoryContract,
)


class TestAgentRepository(AgentRepositoryContract):
    pass
