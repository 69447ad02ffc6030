"""The ToolRepository and ApprovalRepository contracts, over every storage."""

from wa_agents.testing.contracts.agent_tools import (
    ApprovalRepositoryContract,
    ToolRepositoryContract,
)


class TestToolRepository(ToolRepositoryContract):
    pass


class TestApprovalRepository(ApprovalRepositoryContract):
    pass
