"""Contracts of ``PasswordHasher`` and ``TokenService``.

Fixtures: ``hasher`` -> ``PasswordHasher``; ``token_harness`` -> ``TokenHarness``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from wa_agents.domain.model.auth import AccessGrant
from wa_agents.domain.model.errors import AuthenticationFailed
from wa_agents.ports.security import PasswordHasher
from wa_agents.testing.harness import TokenHarness


class PasswordHasherContract:
    def test_verify_accepts_the_password_and_nothing_else(self, hasher: PasswordHasher) -> None:
        hashed = hasher.hash("correct horse battery")
        assert "correct horse battery" not in hashed
        assert hasher.verify(hashed, "correct horse battery")
        assert not hasher.verify(hashed, "correct horse batterY")
        assert not hasher.verify(hashed, "")

    def test_hashes_are_salted(self, hasher: PasswordHasher) -> None:
        assert hasher.hash("same password") != hasher.hash("same password")

    def test_a_malformed_hash_is_false_not_an_error(self, hasher: PasswordHasher) -> None:
        assert not hasher.verify("not-a-hash", "x")
        assert not hasher.verify("", "x")

    def test_a_fresh_hash_needs_no_rehash(self, hasher: PasswordHasher) -> None:
        assert not hasher.needs_rehash(hasher.hash("pw-12345678"))


class TokenServiceContract:
    def test_an_access_token_decodes_to_its_claims(self, token_harness: TokenHarness) -> None:
        tokens = token_harness.tokens
        grant = AccessGrant(user_id="user-1", role="operator", generation=3, login_id="fam-1")
        claims = tokens.decode_access(tokens.issue_access(grant))
        assert (claims.subject, claims.role) == ("user-1", "operator")
        assert (claims.generation, claims.login_id) == (3, "fam-1")
        assert claims.token_id
        assert tokens.access_ttl_seconds <= 900

    def test_a_pinned_grant_issues_the_same_token_again(self, token_harness: TokenHarness) -> None:
        tokens = token_harness.tokens
        loose = AccessGrant(user_id="user-1", role="viewer")
        first = tokens.decode_access(tokens.issue_access(loose))
        assert tokens.issue_access(loose) != tokens.issue_access(loose)
        issued = first.expires_at - timedelta(seconds=tokens.access_ttl_seconds)
        pinned = AccessGrant(user_id="user-1", role="viewer", token_id="t-1", issued_at=issued)
        assert tokens.issue_access(pinned) == tokens.issue_access(pinned)
        again = tokens.decode_access(tokens.issue_access(pinned))
        assert (again.token_id, again.expires_at) == ("t-1", first.expires_at)

    @pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x"])
    def test_garbage_is_refused(self, token_harness: TokenHarness, garbage: str) -> None:
        with pytest.raises(AuthenticationFailed):
            token_harness.tokens.decode_access(garbage)

    def test_an_expired_token_is_refused(self, token_harness: TokenHarness) -> None:
        token = token_harness.tokens.issue_access(AccessGrant(user_id="user-1", role="viewer"))
        token_harness.expire()
        with pytest.raises(AuthenticationFailed):
            token_harness.tokens.decode_access(token)

    def test_refresh_tokens_are_random_and_hash_deterministically(
        self, token_harness: TokenHarness
    ) -> None:
        tokens = token_harness.tokens
        a, b = tokens.new_refresh_token(), tokens.new_refresh_token()
        assert a != b and len(a) >= 32
        assert tokens.hash_refresh_token(a) == tokens.hash_refresh_token(a)
        assert tokens.hash_refresh_token(a) != tokens.hash_refresh_token(b)

    def test_the_next_refresh_token_is_derived_and_unique(
        self, token_harness: TokenHarness
    ) -> None:
        tokens = token_harness.tokens
        a, b = tokens.new_refresh_token(), tokens.new_refresh_token()
        assert tokens.next_refresh_token(a) == tokens.next_refresh_token(a)
        assert tokens.next_refresh_token(a) not in (a, tokens.next_refresh_token(b))
        assert len(tokens.next_refresh_token(a)) >= 32
        assert a not in tokens.hash_refresh_token(a)
        assert tokens.access_ttl_seconds > 0
