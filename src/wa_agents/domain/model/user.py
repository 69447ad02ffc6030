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
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")


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

    def unlock(self, now: datetime) -> User:
        return replace(self, failed_login_attempts=0, locked_until=None, updated_at=now)
