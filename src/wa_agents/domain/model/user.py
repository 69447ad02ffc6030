"""Users of the dashboard, their roles, and the account lockout policy."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from wa_agents.domain.model.errors import ValidationError


class Role(enum.StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """True when this role includes everything ``needed`` may do."""
        order = (Role.VIEWER, Role.OPERATOR, Role.ADMIN)
        return order.index(self) >= order.index(needed)


_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
# No @, control character or space of any kind, spelled out rather than as ``\s`` (which
# means different characters in Python and in ECMAScript): the API schema publishes this
# very pattern, and every reader of it must agree with the server.
_NOT_IN_EMAIL = r"@\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
EMAIL_PATTERN = rf"^[^{_NOT_IN_EMAIL}]{{1,64}}@[^{_NOT_IN_EMAIL}]{{1,255}}$"
_EMAIL = re.compile(EMAIL_PATTERN)


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """``threshold`` consecutive failures lock the account for ``base``; each repeat doubles it."""

    threshold: int = 5
    base: timedelta = timedelta(minutes=15)
    cap: timedelta = timedelta(hours=24)

    def lock_duration(self, failures: int) -> timedelta:
        repeats = min(max(0, failures // self.threshold - 1), 32)  # 2**32 * base > any cap
        duration: timedelta = min(self.base * (2**repeats), self.cap)
        return duration


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    id: str
    username: str
    email: str
    hashed_password: str
    role: Role = Role.VIEWER
    is_active: bool = True
    failed_login_attempts: int = 0
    last_failed_login: datetime | None = None
    locked_until: datetime | None = None
    token_generation: int = 0  # access tokens of an older generation are dead
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        if not _USERNAME.fullmatch(self.username):
            raise ValidationError("username must be 3-64 letters, digits, '_', '.' or '-'")
        if not _EMAIL.fullmatch(self.email):
            raise ValidationError("email is not a valid address")

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def can_log_in(self, now: datetime) -> bool:
        return self.is_active and not self.is_locked(now)

    def record_failure(self, now: datetime, policy: LockoutPolicy) -> User:
        """Count a failed login; every ``threshold``-th consecutive failure locks the account."""
        failures = self.failed_login_attempts + 1
        locked_until = self.locked_until
        if failures % policy.threshold == 0:
            locked_until = now + policy.lock_duration(failures)
        return replace(
            self,
            failed_login_attempts=failures,
            last_failed_login=now,
            locked_until=locked_until,
            updated_at=now,
        )

    def record_success(self, now: datetime) -> User:
        return replace(self, failed_login_attempts=0, locked_until=None, updated_at=now)

    def end_tokens(self, now: datetime) -> User:
        """Every access token issued before now stops working (reset, disable, role change,
        logout everywhere): tokens carry the generation they were issued in."""
        return replace(self, token_generation=self.token_generation + 1, updated_at=now)

    def unlock(self, now: datetime) -> User:
        return replace(self, failed_login_attempts=0, locked_until=None, updated_at=now)
