"""The bridge webhook over real HTTP: who may deliver, what is stored, and what is answered."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.webhooks import (
    OTHER_SECRET,
    SECRET,
    TOKEN,
    event,
    signed_headers,
    text_message,
)
from wa_agents.entrypoints.http import create_app

ALICE = "15551230001@s.whatsapp.net"
CONVERSATION = f"/api/v1/sessions/shop/conversations/{ALICE}/messages"


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    settings = api_settings(tmp_path, webhook_secrets=(SECRET, OTHER_SECRET), webhook_token=TOKEN)
    container = api_container(settings)
    with serving(create_app(container)) as url:
        harness = Api(url, container)
        admin = harness.client(harness.token())
        agent = admin.post(
            "/api/v1/agents", json={"name": "Shop", "model": "m", "system_prompt": "Be brief."}
        ).json()
        assert (
            admin.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent["id"]}).status_code
            == 201
        )
        assert admin.post("/api/v1/sandbox/sessions/shop/scan").status_code == 200
        harness.admin = admin  # type: ignore[attr-defined]
        yield harness
        harness.http.close()


def deliver(api: Api, body: bytes, webhook_id: str = "evt-1", **kwargs: Any) -> httpx.Response:
    return api.http.post(
        "/webhooks/bridge", content=body, headers=signed_headers(body, webhook_id, **kwargs)
    )


def messages(api: Api) -> list[dict[str, Any]]:
    response = api.admin.get(CONVERSATION)  # type: ignore[attr-defined]
    return list(response.json()["items"]) if response.status_code == 200 else []


def replies_after(api: Api, count: int, seconds: float = 10) -> list[dict[str, Any]]:
    deadline = time.monotonic() + seconds
    while True:
        outbound = [m for m in messages(api) if m["direction"] == "outbound"]
        if len(outbound) >= count or time.monotonic() > deadline:
            return outbound
        time.sleep(0.05)


def test_a_signed_message_is_stored_and_answered_once(api: Api) -> None:
    response = deliver(api, text_message("shop", ALICE, "hello there", "WA-1"))
    assert response.status_code == 200 and response.json() == {"status": "stored"}
    [reply] = replies_after(api, 1)
    assert "hello there" in reply["content"]
    [inbound] = [m for m in messages(api) if m["direction"] == "inbound"]
    assert inbound["wa_message_id"] == "WA-1" and inbound["metadata"]["webhook_id"] == "evt-1"


def test_redeliveries_in_a_row_and_at_once_change_nothing(api: Api) -> None:
    body = text_message("shop", ALICE, "only once", "WA-DUP")
    statuses = [deliver(api, body).json()["status"] for _ in range(3)]
    with ThreadPoolExecutor(2) as pool:
        concurrent = list(pool.map(lambda _: deliver(api, body), range(2)))
    assert statuses == ["stored", "duplicate", "duplicate"]
    assert [r.status_code for r in concurrent] == [200, 200]
    replies_after(api, 1)
    time.sleep(0.3)
    assert [m["direction"] for m in messages(api)].count("inbound") == 1
    assert len(replies_after(api, 1)) == 1


@pytest.mark.parametrize(
    "tamper",
    ["signature", "stale", "future", "no-headers", "garbage-signature", "other-key"],
)
def test_bad_signatures_are_401_and_write_nothing(api: Api, tamper: str) -> None:
    body = text_message("ghost-session", ALICE, "sneaky", "WA-X")
    headers = signed_headers(body, "evt-x")
    if tamper == "signature":
        headers = signed_headers(body + b" ", "evt-x") | {"content-type": "application/json"}
    elif tamper == "stale":
        headers = signed_headers(body, "evt-x", timestamp=int(time.time()) - 301)
    elif tamper == "future":
        headers = signed_headers(body, "evt-x", timestamp=int(time.time()) + 301)
    elif tamper == "no-headers":
        headers = {"content-type": "application/json"}
    elif tamper == "garbage-signature":
        headers["webhook-signature"] = "v1,@@not-base64@@ nonsense"
    elif tamper == "other-key":
        headers = signed_headers(body, "evt-x", secret="whsec_" + "Q" * 43 + "=")
    response = api.http.post("/webhooks/bridge", content=body, headers=headers)
    assert response.status_code == 401
    assert set(response.json()) == {"status_code", "detail"}
    assert api.admin.get("/api/v1/sessions/ghost-session").status_code == 404  # type: ignore[attr-defined]


def test_the_previous_secret_still_works_during_rotation(api: Api) -> None:
    body = text_message("shop", ALICE, "rotated", "WA-ROT")
    assert deliver(api, body, secret=OTHER_SECRET).json() == {"status": "stored"}


def test_the_zapw_token_path(api: Api) -> None:
    body = text_message("shop", ALICE, "from zapw", "WA-Z")
    wrong = api.http.post("/webhooks/bridge/not-the-token", content=body)
    assert wrong.status_code == 401 and messages(api) == []
    right = api.http.post(
        f"/webhooks/bridge/{TOKEN}", content=body, headers={"X-Webhook-Event": "message.received"}
    )
    assert right.status_code == 200 and right.json() == {"status": "stored"}
    assert "from zapw" in replies_after(api, 1)[0]["content"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[]", 400),
        (event("shop", "message.received", {"from": ALICE}), 400),  # no messageId
        (event("shop", "session.qr", {"qrCode": 42}), 400),
        (event("shop", "call.offer", {"anything": True}), 200),  # unknown event: accepted
    ],
)
def test_malformed_and_unknown_events(api: Api, body: bytes, status: int) -> None:
    response = deliver(api, body)
    assert response.status_code == status, response.text
    assert set(response.json()) == ({"status_code", "detail"} if status >= 400 else {"status"})


def test_unknown_fields_are_ignored(api: Api) -> None:
    body = text_message("shop", ALICE, "new fields", "WA-F", futureField={"x": 1}, another=[1])
    assert deliver(api, body).json() == {"status": "stored"}


def test_a_body_over_one_mebibyte_is_413(api: Api) -> None:
    body = text_message("shop", ALICE, "x" * (1024 * 1024), "WA-BIG")
    assert deliver(api, body).status_code == 413
    assert messages(api) == []


def test_session_events_move_the_session(api: Api) -> None:
    session = lambda: api.admin.get("/api/v1/sessions/shop").json()  # type: ignore[attr-defined]  # noqa: E731
    expires = "2030-01-01T00:00:00.000Z"
    deliver(
        api,
        event(
            "shop", "session.qr", {"qrCode": "data:image/png;base64,AAA", "qrExpiresAt": expires}
        ),
        "e1",
    )
    assert (session()["status"], session()["qr_code"]) == (
        "qr_waiting",
        "data:image/png;base64,AAA",
    )
    deliver(
        api,
        event("shop", "session.connected", {"phoneNumber": "15550000000", "name": "Shop"}),
        "e2",
    )
    assert (session()["status"], session()["phone_number"]) == ("connected", "15550000000")
    deliver(api, event("shop", "session.disconnected", {"reason": {"shouldReconnect": True}}), "e3")
    assert session()["status"] == "disconnected"
    logged_out = {"reason": {"error": {"output": {"statusCode": 401}}, "shouldReconnect": False}}
    deliver(api, event("shop", "session.disconnected", logged_out), "e4")
    assert session()["status"] == "logged_out"


def test_a_session_only_the_bridge_knows_is_adopted(api: Api) -> None:
    response = deliver(api, event("restored", "session.connected", {"phoneNumber": "1555"}))
    assert response.status_code == 200
    adopted = api.admin.get("/api/v1/sessions/restored").json()  # type: ignore[attr-defined]
    assert adopted["status"] == "connected"


def test_receipts_move_our_reply_forward_only(api: Api) -> None:
    deliver(api, text_message("shop", ALICE, "receipt me", "WA-R"))
    replies_after(api, 1)
    reply = api.wait_for(
        api.admin,
        CONVERSATION,  # type: ignore[attr-defined]
        lambda body: any(m["status"] == "sent" for m in body["items"]),
    )["items"][0]
    wa_id = reply["wa_message_id"]
    assert wa_id
    for kind, data in (
        ("message.status", {"messageId": wa_id, "status": "read"}),
        ("message.delivered", {"messageId": wa_id}),
        ("message.status", {"messageId": "unknown-id", "status": "read"}),
    ):
        assert (
            deliver(api, event("shop", kind, data), f"r-{kind}-{data['messageId']}").status_code
            == 200
        )
    [after] = [m for m in messages(api) if m["direction"] == "outbound"]
    assert after["status"] == "read"


def test_the_owner_typing_from_the_phone_hands_the_chat_to_them(api: Api) -> None:
    deliver(api, text_message("shop", ALICE, "I'll handle this one", "WA-OWN", fromMe=True), "own")
    deliver(api, text_message("shop", ALICE, "thanks!", "WA-AFTER"), "after")
    time.sleep(0.5)
    directions = [(m["direction"], m["content"]) for m in reversed(messages(api))]
    assert directions == [("outbound", "I'll handle this one"), ("inbound", "thanks!")]
    conversation = api.admin.get("/api/v1/sessions/shop/conversations").json()["items"][0]  # type: ignore[attr-defined]
    assert conversation["mode"] == "human" and conversation["mode_by"] == "owner"
    audit = api.admin.get("/api/v1/audit", params={"action": "conversation.mode"}).json()  # type: ignore[attr-defined]
    assert [(a["actor"], a["details"]["reason"]) for a in audit["items"]] == [
        ("owner", "the owner replied from the phone")
    ]


def test_media_feeds_its_caption_and_bare_media_gets_the_polite_reply(api: Api) -> None:
    image = {
        "type": "image",
        "hasMedia": True,
        "caption": "is this broken?",
        "media": {"mediaId": "M1"},
    }
    deliver(api, text_message("shop", ALICE, "", "WA-IMG", **image), "img")
    assert "is this broken?" in replies_after(api, 1)[0]["content"]
    sticker = event("shop", "message.received", {"from": ALICE, "messageId": "WA-STK"})
    deliver(api, sticker, "stk")
    replies = replies_after(api, 2)
    assert "only read text" in replies[0]["content"]
    stored = next(m for m in messages(api) if m["wa_message_id"] == "WA-STK")
    assert stored["message_type"] == "unknown"


@pytest.mark.parametrize(
    "extra",
    [
        {"caption": "nul\u0000inside", "type": "image", "hasMedia": True},
        {"pushName": "Zé\u0000"},
        {"timestamp": 1e20},
        {"timestamp": -1e15},
    ],
)
def test_hostile_text_and_absurd_times_are_stored_not_refused_forever(
    api: Api, extra: dict[str, Any]
) -> None:
    body = text_message("shop", ALICE, "fine", "WA-HOSTILE", **extra)
    response = deliver(api, body)
    assert response.status_code == 200, response.text
    [stored] = [m for m in messages(api) if m["wa_message_id"] == "WA-HOSTILE"]
    assert "\u0000" not in stored["content"] and "\u0000" not in str(stored["metadata"])


def test_the_path_token_never_reaches_the_logs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    api.http.post(f"/webhooks/bridge/{TOKEN}", content=text_message("shop", ALICE, "x", "WA-LOG"))
    api.http.post("/webhooks/bridge/a-wrong-guess", content=b"{}")
    ours = [r for r in caplog.records if r.name.startswith("wa_agents")]  # not the test's client
    logged = "\n".join(record.getMessage() for record in ours)
    assert "/webhooks/bridge/***" in logged
    assert TOKEN not in logged and "a-wrong-guess" not in logged
