"""The password policy: length bounds and a list of passwords nobody should use."""

from __future__ import annotations

from wa_agents.domain.model.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS = frozenset(
    [
        "password",
        "password1",
        "password123",
        "passw0rd",
        "12345678",
        "123456789",
        "1234567890",
        "qwerty123",
        "qwertyuiop",
        "iloveyou",
        "sunshine",
        "princess",
        "football",
        "baseball",
        "welcome1",
        "welcome123",
        "admin123",
        "administrator",
        "letmein1",
        "trustno1",
        "superman",
        "dragon123",
        "monkey123",
        "abc12345",
        "abcd1234",
        "11111111",
        "00000000",
        "88888888",
        "changeme",
        "whatsapp",
        "whatsapp123",
        "secret123",
        "qwerty12",
        "1q2w3e4r",
        "1qaz2wsx",
        "zaq12wsx",
        "asdfghjk",
    ]
)


def validate_password(password: str) -> None:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationError(f"password must be {MIN_LENGTH}-{MAX_LENGTH} characters")
    if password.lower() in COMMON_PASSWORDS:
        raise ValidationError("password is too common")
