"""The password policy: length bounds and a list of passwords nobody should use.

The list ships with the package (``common_passwords.txt``, one lower-cased password a line,
regenerated offline by ``scripts/common_passwords.py``) and is read once, on first use.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from wa_agents.domain.model.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128


@cache
def common_passwords() -> frozenset[str]:
    text = files("wa_agents.domain.model").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def validate_password(password: str) -> None:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationError(f"password must be {MIN_LENGTH}-{MAX_LENGTH} characters")
    if password.lower() in common_passwords():
        raise ValidationError("password is too common")
