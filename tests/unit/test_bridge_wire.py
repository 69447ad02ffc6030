"""Reading the bridge's answers: both envelopes, the Session object, and malformed answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from wa_agents.adapters.bridge.wire import data_of, error_text, message_id, session_info
from wa_agents.domain.model.errors import BridgeUnavailable
from wa_agents.domain.model.session import SessionStatus


def body(value: object) -> bytes:
    return json.dumps(value).encode()


def test_the_envelope_and_an_older_zapws_bare_object_both_read() -> None:
    assert data_of(body({"status": "success", "data": {"id": "a"}})) == {"id": "a"}
    assert data_of(body({"id": "a", "status": "connected"})) == {"id": "a", "status": "connected"}
    assert data_of(b"") is None and data_of(b"<html>") is None


def test_error_texts_come_from_either_envelope_or_the_raw_body() -> None:
    assert error_text(body({"status": "error", "error": "session x not found"})).startswith(
        "session"
    )
    assert error_text(body({"error": 7, "message": "Session x not found"})) == "Session x not found"
    assert error_text(b"<pre>Cannot POST /x</pre>") == "<pre>Cannot POST /x</pre>"


def test_a_session_object_becomes_session_info() -> None:
    info = session_info(
        {"status": "qr_waiting", "qrCode": "data:x", "qrExpiresAt": "2030-01-01T00:00:00.000Z"},
        "shop",
    )
    assert info.id == "shop" and info.qr_code == "data:x"
    assert info.qr_expires_at == datetime(2030, 1, 1, tzinfo=UTC)
    assert session_info({"status": "qr_waiting", "qrExpiresAt": "soon"}, "s").qr_code is None
    garbled = session_info({"status": "qr_waiting", "qrCode": "q", "qrExpiresAt": "soon"}, "s")
    assert garbled.qr_expires_at is None
    assert session_info({"status": "connected", "qrCode": "stale"}, "s").qr_code is None
    raw = session_info({"status": "qr_waiting", "qrCode": "2@AbC,dEf,gHi"}, "s").qr_code
    assert raw and raw.startswith("data:image/png;base64,")
    restored = session_info({"status": "initializing", "connectedAt": "2030-01-01T00:00:00Z"}, "s")
    assert restored.status == SessionStatus.RECONNECTING


@pytest.mark.parametrize("data", [None, [], {"id": "s"}, {"status": 3}])
def test_a_malformed_session_is_a_bridge_failure(data: object) -> None:
    with pytest.raises(BridgeUnavailable):
        session_info(data, "s")


@pytest.mark.parametrize("data", [None, {}, {"messageId": ""}, {"messageId": 5}])
def test_a_send_answer_without_a_message_id_is_a_bridge_failure(data: object) -> None:
    with pytest.raises(BridgeUnavailable):
        message_id(data)
