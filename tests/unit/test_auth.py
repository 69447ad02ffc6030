"""Login, lockout, refresh rotation and logout through memory adapters."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wa_agents.adapters.memory import ManualClock
from wa_agents.domain.model.errors import AuthenticationFailed, ValidationError
from wa_agents.domain.model.user import LockoutPolicy, Role
from wa_agents.domain.services.platform import Platform

PASSWORD = "s3cret-enough!"


@pytest.fixture
async def alice(platform: Platform) -> str:
    user = await platform.users.create("alice", "alice@example.com", PASSWORD, Role.OPERATOR)
    return user.id


async def fail_login(platform: Platform, username: str = "alice", times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed) as info:
            await platform.auth.login(username, "wrong-password")
        assert str(info.value) == "invalid username or password"


async def test_login_returns_tokens_that_authenticate(platform: Platform, alice: str) -> None:
    pair = await platform.auth.login("ALICE", PASSWORD)
    assert pair.token_type == "bearer" and pair.expires_in <= 900
    user = await platform.auth.authenticate(pair.access_token)
    assert user.id == alice and user.role == Role.OPERATOR


async def test_five_failures_lock_the_account_for_fifteen_minutes(
    platform: Platform, alice: str, clock: ManualClock
) -> None:
    await fail_login(platform, times=5)
    with pytest.raises(AuthenticationFailed) as locked:
        await platform.auth.login("alice", PASSWORD)
    assert str(locked.value) == "invalid username or password"
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(AuthenticationFailed):
        await platform.auth.login("alice", PASSWORD)
    clock.advance(timedelta(seconds=1))
    assert await platform.auth.login("alice", PASSWORD)
    assert (await platform.users.get(alice)).failed_login_attempts == 0


async def test_a_repeat_lockout_doubles(platform: Platform, alice: str, clock: ManualClock) -> None:
    await fail_login(platform, times=5)
    clock.advance(timedelta(minutes=15))
    await fail_login(platform, times=5)
    user = await platform.users.get(alice)
    assert user.locked_until == clock.now() + timedelta(minutes=30)


def test_lockout_durations_are_capped() -> None:
    policy = LockoutPolicy()
    assert [policy.lock_duration(n).total_seconds() / 60 for n in (5, 10, 15)] == [15, 30, 60]
    assert policy.lock_duration(5 * 40) == policy.cap


async def test_unknown_user_and_wrong_password_look_the_same(
    platform: Platform, alice: str
) -> None:
    with pytest.raises(AuthenticationFailed) as unknown:
        await platform.auth.login("mallory", PASSWORD)
    with pytest.raises(AuthenticationFailed) as wrong:
        await platform.auth.login("alice", "not-the-password")
    assert str(unknown.value) == str(wrong.value)


async def test_refresh_rotates_and_reuse_revokes_the_family(
    platform: Platform, alice: str, clock: ManualClock
) -> None:
    first = await platform.auth.login("alice", PASSWORD)
    second = await platform.auth.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    clock.advance(timedelta(seconds=11))  # past the double-submit grace window
    with pytest.raises(AuthenticationFailed):
        await platform.auth.refresh(first.refresh_token)  # stolen copy replayed
    with pytest.raises(AuthenticationFailed):
        await platform.auth.refresh(second.refresh_token)  # the family died with it


async def test_logout_revokes_the_refresh_token(platform: Platform, alice: str) -> None:
    pair = await platform.auth.login("alice", PASSWORD)
    await platform.auth.logout(pair.refresh_token)
    await platform.auth.logout("unknown-token")
    with pytest.raises(AuthenticationFailed):
        await platform.auth.refresh(pair.refresh_token)


async def test_disabling_a_user_ends_their_sessions(platform: Platform, alice: str) -> None:
    pair = await platform.auth.login("alice", PASSWORD)
    await platform.users.update(alice, is_active=False, actor="admin")
    with pytest.raises(AuthenticationFailed):
        await platform.auth.authenticate(pair.access_token)
    with pytest.raises(AuthenticationFailed):
        await platform.auth.refresh(pair.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await platform.auth.login("alice", PASSWORD)


async def test_an_expired_refresh_token_is_refused(
    platform: Platform, alice: str, clock: ManualClock
) -> None:
    pair = await platform.auth.login("alice", PASSWORD)
    clock.advance(timedelta(days=15))
    with pytest.raises(AuthenticationFailed):
        await platform.auth.refresh(pair.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await platform.auth.authenticate(pair.access_token)


async def test_reset_password_and_unlock(platform: Platform, alice: str) -> None:
    await fail_login(platform, times=5)
    await platform.users.unlock(alice, actor="admin")
    assert await platform.auth.login("alice", PASSWORD)
    await platform.users.reset_password(alice, "another-good-one", actor="admin")
    assert await platform.auth.login("alice", "another-good-one")


@pytest.mark.parametrize("password", ["short", "x" * 129, "password123", "alice-user"])
async def test_weak_passwords_are_refused(platform: Platform, password: str) -> None:
    with pytest.raises(ValidationError):
        await platform.users.create("alice-user", "a@example.com", password)


async def test_a_changed_hash_policy_rehashes_on_login(platform: Platform, alice: str) -> None:
    platform.hasher.iterations = 2000  # type: ignore[attr-defined]
    await platform.auth.login("alice", PASSWORD)
    assert (await platform.users.get(alice)).hashed_password.split("$")[1] == "2000"


async def test_nobody_disables_or_demotes_themselves(platform: Platform) -> None:
    admin = await platform.users.create("boss", "boss@example.com", PASSWORD, Role.ADMIN)
    with pytest.raises(ValidationError, match="yourself"):
        await platform.users.update(admin.id, is_active=False, actor="boss")
    with pytest.raises(ValidationError, match="yourself"):
        await platform.users.update(admin.id, role=Role.VIEWER, actor="boss")
    assert (await platform.users.update(admin.id, role=Role.ADMIN, actor="boss")).role == Role.ADMIN
    assert not (await platform.users.update(admin.id, is_active=False, actor="other")).is_active


async def test_a_reset_password_may_not_be_the_username(platform: Platform) -> None:
    user = await platform.users.create("longname1", "l@example.com", PASSWORD)
    with pytest.raises(ValidationError, match="username"):
        await platform.users.reset_password(user.id, "LONGNAME1", actor="admin")


async def test_a_double_submitted_refresh_answers_the_same_pair(
    platform: Platform, alice: str, clock: ManualClock
) -> None:
    first = await platform.auth.login("alice", PASSWORD)
    second = await platform.auth.refresh(first.refresh_token)
    clock.advance(timedelta(seconds=10))
    assert await platform.auth.refresh(first.refresh_token) == second
    assert (await platform.auth.authenticate(second.access_token)).id == alice
    third = await platform.auth.refresh(second.refresh_token)
    with pytest.raises(AuthenticationFailed):  # its successor was used: a leak, not a retry
        await platform.auth.refresh(first.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await platform.auth.refresh(third.refresh_token)


async def test_a_reset_a_role_change_and_logout_everywhere_end_access_tokens(
    platform: Platform, alice: str
) -> None:
    new_password = "another-long-pass"
    changes = (
        lambda: platform.users.reset_password(alice, new_password, actor="admin"),
        lambda: platform.users.update(alice, role=Role.VIEWER, actor="admin"),
        lambda: platform.auth.logout_everywhere(alice),
    )
    password = PASSWORD
    for change in changes:
        token = (await platform.auth.login("alice", password)).access_token
        assert (await platform.auth.authenticate(token)).id == alice
        await change()
        with pytest.raises(AuthenticationFailed):
            await platform.auth.authenticate(token)
        password = new_password
    fresh = await platform.auth.login("alice", new_password)
    assert (await platform.auth.authenticate(fresh.access_token)).role == Role.VIEWER
