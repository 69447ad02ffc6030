"""``Argon2PasswordHasher``: argon2id through argon2-cffi (its RFC 9106 defaults, or stronger).

``needs_rehash`` is true when a stored hash was made with other parameters (or another
scheme), so the login that proves the password also upgrades its hash.
"""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import Argon2Error, InvalidHashError

from wa_agents.ports.security import PasswordHasher


class Argon2PasswordHasher(PasswordHasher):
    def __init__(
        self,
        *,
        time_cost: int | None = None,
        memory_cost: int | None = None,
        parallelism: int | None = None,
    ) -> None:
        defaults = _Argon2()
        self._argon2 = _Argon2(
            time_cost=time_cost or defaults.time_cost,
            memory_cost=memory_cost or defaults.memory_cost,
            parallelism=parallelism or defaults.parallelism,
            type=Type.ID,
        )

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        try:
            return self._argon2.verify(hashed, password)
        except (Argon2Error, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(hashed)
        except (InvalidHashError, ValueError):
            return True
