"""Attack: replayed and out-of-order bridge deliveries.

Found: re-posting a captured, validly signed ``session.disconnected`` (same ``webhook-id``,
inside the 5-minute window) 2 s after a later ``session.connected`` answered ``applied`` and
left the session disconnected. Every event kind is deduplicated by ``webhook-id``, and a
session status report older (by the bridge's timestamp) than the one applied does not move
the session backwards, whatever its id.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.attack_api import AttackApi, attack_api
from tests.support.databases import BACKENDS
from tests.support.webhooks import SECRET, TOKEN, signed_headers

SESSION = "shop"


@pytest.fixture(params=BACKENDS)
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AttackApi]:
    settings: dict[str, Any] = {"webhook_secrets": (SECRET,), "webhook_token": TOKEN}
    with attack_api(request.param, tmp_path, **settings) as served:
        yield served


def envelope(event_type: str, data: dict[str, Any], at_ms: int) -> bytes:
    body = {"sessionId": SESSION, "origin": SESSION, "eventType": event_type}
    return json.dumps({**body, "timestamp": at_ms, "data": data}).encode()


def deliver(api: AttackApi, body: bytes, webhook_id: str) -> str:
    answer = api.http.post(
        "/webhooks/bridge", content=body, headers=signed_headers(body, webhook_id)
    )
    assert answer.status_code == 200, answer.text
    status: str = answer.json()["status"]
    return status


def status_of(api: AttackApi) -> str:
    admin = api.client(api.token())
    body: dict[str, Any] = admin.get(f"/api/v1/sessions/{SESSION}").json()
    return str(body["status"])


def test_a_replayed_disconnect_does_not_undo_a_later_connect(api: AttackApi) -> None:
    now = int(time.time() * 1000)
    captured = envelope("session.disconnected", {"reason": {}}, now - 2000)
    assert deliver(api, captured, "msg_disc_1") == "applied"
    connected = envelope("session.connected", {"phoneNumber": "15550000000"}, now)
    assert deliver(api, connected, "msg_conn_1") == "applied"
    assert status_of(api) == "connected"

    time.sleep(2)  # as found: the replay came 2 s later, well inside the signature window
    assert deliver(api, captured, "msg_disc_1") == "duplicate"
    assert status_of(api) == "connected"


def test_an_older_status_report_under_a_new_id_is_stale(api: AttackApi) -> None:
    now = int(time.time() * 1000)
    assert deliver(api, envelope("session.connected", {}, now), "msg_a") == "applied"
    late = envelope("session.disconnected", {"reason": {}}, now - 5000)
    assert deliver(api, late, "msg_b") == "stale"
    assert status_of(api) == "connected"
    newer = envelope("session.disconnected", {"reason": {}}, now + 1000)
    assert deliver(api, newer, "msg_c") == "applied"
    assert status_of(api) == "disconnected"
    # the zapw token route carries no delivery id; the bridge's clock still orders it
    stale = envelope("session.connected", {}, now)
    by_token = api.http.post(f"/webhooks/bridge/{TOKEN}", content=stale)
    assert by_token.json()["status"] == "stale" and status_of(api) == "disconnected"


@pytest.mark.parametrize(
    ("event_type", "data"),
    [
        ("session.qr", {"qrCode": "data:image/png;base64,AAAA"}),
        ("message.sent", {"messageId": "WA-unknown"}),
        ("message.received", {"from": "1555@s.whatsapp.net", "messageId": "W1", "text": "hi"}),
        ("some.future.event", {}),
    ],
)
def test_every_kind_is_deduplicated_by_its_id(
    api: AttackApi, event_type: str, data: dict[str, Any]
) -> None:
    body = envelope(event_type, {"type": "text", **data}, int(time.time() * 1000))
    first = deliver(api, body, f"msg_{event_type}")
    assert first != "duplicate"
    assert deliver(api, body, f"msg_{event_type}") == "duplicate"
