"""The RefreshTokenRepository contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.refresh_tokens import (
    RefreshTokenRepositoryContract,
)


class TestRefreshTokenRepository(RefreshTokenRepositoryContract):
    pass
