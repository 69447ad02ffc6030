from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import at, make_session
from wa_agents.domain.model.errors import InvalidTransition, ValidationError
from wa_agents.domain.model.session import TRANSITIONS, SessionStatus


def test_the_happy_path_links_a_number() -> None:
    session = make_session()
    session = session.with_qr("data:image/png;base64,x", at(60), at(1))
    assert session.status == SessionStatus.QR_WAITING and session.qr_code
    session = session.connected(at(2), "5511999", "Shop")
    assert (session.status, session.qr_code, session.connected_at) == (
        SessionStatus.CONNECTED,
        None,
        at(2),
    )
    assert session.can_send
    session = session.move_to(SessionStatus.DISCONNECTED, at(3)).move_to(
        SessionStatus.RECONNECTING, at(4)
    )
    assert session.connected(at(5)).status == SessionStatus.CONNECTED


def test_logged_out_needs_a_new_qr() -> None:
    session = make_session().connected(at(1)).move_to(SessionStatus.LOGGED_OUT, at(2))
    with pytest.raises(InvalidTransition):
        session.move_to(SessionStatus.CONNECTED, at(3))
    assert session.with_qr("qr", None, at(4)).status == SessionStatus.QR_WAITING


@pytest.mark.parametrize("bad", ["", "a/b", "../x", "x" * 65, "sp ace"])
def test_session_ids_are_checked(bad: str) -> None:
    with pytest.raises(ValidationError):
        make_session(id=bad)


@given(st.lists(st.sampled_from(list(SessionStatus)), max_size=30))
def test_random_walks_only_take_allowed_edges(targets: list[SessionStatus]) -> None:
    session = make_session()
    for step, target in enumerate(targets):
        before = session.status
        allowed = target == before or target in TRANSITIONS[before]
        try:
            session = session.move_to(target, at(step))
        except InvalidTransition:
            assert not allowed
            continue
        assert allowed and session.status == target
        assert session.can_send == (target == SessionStatus.CONNECTED)
        if target == SessionStatus.CONNECTED:
            assert session.qr_code is None
