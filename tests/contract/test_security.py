"""The PasswordHasher and TokenService contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.security import (
    PasswordHasherContract,
    TokenServiceContract,
)


class TestPasswordHasher(PasswordHasherContract):
    pass


class TestTokenService(TokenServiceContract):
    pass
