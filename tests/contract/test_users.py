"""The UserRepository contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.users import (
    UserRepositoryContract,
)


class TestUserRepository(UserRepositoryContract):
    pass
