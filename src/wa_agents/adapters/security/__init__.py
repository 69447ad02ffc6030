"""Production security adapters: argon2id password hashing and JWT access tokens."""

from wa_agents.adapters.security.argon2_hasher import Argon2PasswordHasher
from wa_agents.adapters.security.jwt_tokens import JwtTokenService

__all__ = ["Argon2PasswordHasher", "JwtTokenService"]
