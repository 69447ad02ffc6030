"""The bridge gateway against the fake bridge over real HTTP: time-outs, retries with the same
idempotency key, a plain zapw bridge, the API key, and how answers map onto domain errors."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from datetime import datetime

import pytest

from tests.support.fake_bridge import API_KEY, FakeBridge, serve
from wa_agents.adapters.bridge import BridgeHttpMessagingGateway
from wa_agents.domain.model.errors import (
    BridgeUnavailable,
    NotFound,
    NumberRestricted,
    SessionNotConnected,
    ValidationError,
)
from wa_agents.domain.model.session import SessionStatus

TO = "15551230000@s.whatsapp.net"
Connect = Callable[..., BridgeHttpMessagingGateway]


@pytest.fixture
def fake() -> FakeBridge:
    return FakeBridge()


@pytest.fixture
async def connect(fake: FakeBridge) -> AsyncIterator[Connect]:
    """Gateways onto the running fake: ``connect(timeout=0.2, api_key="x")``."""
    gateways: list[BridgeHttpMessagingGateway] = []
    with serve(fake) as server:

        def make(**options: object) -> BridgeHttpMessagingGateway:
            api_key = options.pop("api_key", API_KEY)
            gateway = BridgeHttpMessagingGateway(server.url, api_key, **options)  # type: ignore[arg-type]
            gateways.append(gateway)
            return gateway

        yield make
        for gateway in gateways:
            await gateway.aclose()


async def linked(gateway: BridgeHttpMessagingGateway, fake: FakeBridge, sid: str = "shop") -> None:
    await gateway.create_session(sid)
    fake.scan(sid)


def calls_to(fake: FakeBridge, suffix: str) -> int:
    return sum(1 for _, path, _ in fake.requests if path.endswith(suffix))


async def test_a_slow_bridge_is_unavailable_but_creating_a_session_may_wait(
    fake: FakeBridge, connect: Connect
) -> None:
    gateway = connect(timeout=0.1, session_timeout=5)
    fake.delay = 0.3
    info = await gateway.create_session("shop")  # zapw holds this call until the QR exists
    assert info.status == SessionStatus.QR_WAITING
    with pytest.raises(BridgeUnavailable, match="did not answer"):
        await gateway.get_session("shop")


async def test_an_unreachable_bridge_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gateway = BridgeHttpMessagingGateway(f"http://127.0.0.1:{port}", API_KEY, timeout=1)
    with pytest.raises(BridgeUnavailable, match="unreachable"):
        await gateway.send_text("shop", TO, "hi", idempotency_key="k")
    assert await gateway.health() is False
    await gateway.aclose()


async def test_a_500_then_a_retry_with_the_same_key_sends_once(
    fake: FakeBridge, connect: Connect
) -> None:
    gateway = connect()
    await linked(gateway, fake)
    fake.fail_sends(1)
    with pytest.raises(BridgeUnavailable, match="500"):
        await gateway.send_text("shop", TO, "hello", idempotency_key="m1")
    wa_id = await gateway.send_text("shop", TO, "hello", idempotency_key="m1")
    assert [(s.text, s.idempotency_key, s.message_id) for s in fake.sends] == [
        ("hello", "m1", wa_id)
    ]


async def test_an_answer_lost_to_a_timeout_then_a_retry_sends_once(
    fake: FakeBridge, connect: Connect
) -> None:
    gateway = connect(timeout=0.2)
    await linked(gateway, fake)
    fake.answer_sends_late(0.6)  # WhatsApp got the message; the answer comes too late
    with pytest.raises(BridgeUnavailable, match="did not answer"):
        await gateway.send_text("shop", TO, "hello", idempotency_key="m1")
    wa_id = await gateway.send_text("shop", TO, "hello", idempotency_key="m1")
    assert [s.message_id for s in fake.sends] == [wa_id]
    assert calls_to(fake, "/messages") == 2


async def test_on_zapw_that_retry_doubles_the_message_as_docs_bridge_md_warns(
    connect: Connect, fake: FakeBridge
) -> None:
    fake.zapw_only = True
    gateway = connect(timeout=0.2)
    await linked(gateway, fake)
    fake.answer_sends_late(0.6)
    with pytest.raises(BridgeUnavailable):
        await gateway.send_text("shop", TO, "hello", idempotency_key="m1")
    await gateway.send_text("shop", TO, "hello", idempotency_key="m1")
    assert fake.sent("shop") == [(TO, "hello"), (TO, "hello")]


async def test_on_zapw_presence_and_read_do_nothing_and_are_not_tried_again(
    connect: Connect, fake: FakeBridge
) -> None:
    fake.zapw_only = True
    gateway = connect()
    await linked(gateway, fake)
    for _ in range(2):
        await gateway.send_presence("shop", TO, "composing")
        await gateway.mark_read("shop", TO, ["WA1"])
    assert (calls_to(fake, "/presence"), calls_to(fake, "/read")) == (1, 1)
    assert fake.presence == [] and fake.reads == []


async def test_on_zapw_logout_deletes_and_reconnect_creates_again(
    connect: Connect, fake: FakeBridge
) -> None:
    fake.zapw_only = True
    gateway = connect()
    await linked(gateway, fake)
    await gateway.logout("shop")
    assert "shop" not in fake.sessions
    assert (await gateway.get_session("shop")).status == SessionStatus.LOGGED_OUT
    with pytest.raises(SessionNotConnected):
        await gateway.send_text("shop", TO, "hi", idempotency_key="k")
    info = await gateway.reconnect("shop")
    assert info.status == SessionStatus.QR_WAITING and info.qr_code
    assert info.qr_expires_at is None  # zapw does not say when its QR expires
    assert (await gateway.get_session("shop")).status == SessionStatus.QR_WAITING
    await gateway.delete_session("shop")
    with pytest.raises(NotFound):  # deleted for real: "logged out" is forgotten
        await gateway.get_session("shop")


async def test_on_zapw_reconnect_reads_the_session(connect: Connect, fake: FakeBridge) -> None:
    fake.zapw_only = True
    gateway = connect()
    await linked(gateway, fake)
    for _ in range(2):
        assert (await gateway.reconnect("shop")).status == SessionStatus.CONNECTED
    assert calls_to(fake, "/reconnect") == 1


async def test_our_bridge_gets_the_extension_calls(connect: Connect, fake: FakeBridge) -> None:
    gateway = connect()
    await linked(gateway, fake)
    await gateway.send_presence("shop", TO, "composing")
    await gateway.mark_read("shop", TO, ["WA1", "WA2"])
    await gateway.mark_read("shop", TO, [])  # nothing to mark: no call
    assert fake.presence == [("shop", TO, "composing")]
    assert fake.reads == [("shop", TO, ["WA1", "WA2"])]
    fake.disconnect("shop")
    assert (await gateway.reconnect("shop")).status == SessionStatus.CONNECTED
    with pytest.raises(NotFound):  # a session the bridge does not know, not a missing route
        await gateway.send_presence("ghost", TO, "paused")
    await gateway.send_presence("shop", TO, "paused")
    assert fake.presence[-1] == ("shop", TO, "paused")


async def test_every_call_carries_the_api_key(connect: Connect, fake: FakeBridge) -> None:
    gateway = connect()
    await linked(gateway, fake)
    await gateway.send_text("shop", TO, "hi", idempotency_key="k1")
    await gateway.readiness()
    assert fake.requests
    assert {h.get("authorization") for _, _, h in fake.requests} == {f"Bearer {API_KEY}"}


async def test_a_wrong_api_key_says_which_setting_to_check(
    connect: Connect, fake: FakeBridge
) -> None:
    gateway = connect(api_key="wrong")
    with pytest.raises(BridgeUnavailable, match="check WA_BRIDGE_API_KEY"):
        await gateway.create_session("shop")
    with pytest.raises(BridgeUnavailable, match="check WA_BRIDGE_API_KEY"):
        await gateway.readiness()
    assert await gateway.health() is True  # /health is open: the bridge is up, the key is not


async def test_statuses_and_session_fields_map_onto_the_domain(
    connect: Connect, fake: FakeBridge
) -> None:
    gateway = connect()
    created = await gateway.create_session("shop")
    assert isinstance(created.qr_expires_at, datetime) and created.qr_expires_at.tzinfo
    fake.sessions["shop"]["status"] = "initializing"
    assert (await gateway.get_session("shop")).status == SessionStatus.PENDING
    fake.scan("shop", phone="15550009999", name="Bakery")
    info = await gateway.get_session("shop")
    assert (info.status, info.phone_number, info.display_name, info.qr_code) == (
        SessionStatus.CONNECTED,
        "15550009999",
        "Bakery",
        None,
    )
    fake.sessions["shop"]["status"] = "connecting"  # a linked number coming back
    assert (await gateway.get_session("shop")).status == SessionStatus.RECONNECTING
    fake.disconnect("shop")
    assert (await gateway.get_session("shop")).status == SessionStatus.DISCONNECTED
    with pytest.raises(SessionNotConnected):
        await gateway.send_text("shop", TO, "hi", idempotency_key="k")
    fake.sessions["shop"]["status"] = "something_new"
    assert (await gateway.get_session("shop")).status == SessionStatus.PENDING


async def test_a_refused_recipient_is_a_validation_error(
    connect: Connect, fake: FakeBridge
) -> None:
    gateway = connect()
    await linked(gateway, fake)
    with pytest.raises(ValidationError, match="400"):
        await gateway.send_text("shop", "not a number", "hi", idempotency_key="k")


@pytest.mark.parametrize(
    ("reason", "retry_after"), [("rate-limited", 30.0), ("restricted", None), ("banned", None)]
)
async def test_a_restriction_is_classified_not_a_generic_failure(
    fake: FakeBridge, connect: Connect, reason: str, retry_after: float | None
) -> None:
    gateway = connect()
    await linked(gateway, fake)
    fake.restrict_sends(reason)
    with pytest.raises(NumberRestricted) as refused:
        await gateway.send_text("shop", TO, "hi", idempotency_key="k1")
    assert refused.value.reason == reason and refused.value.retry_after == retry_after
    assert await gateway.send_text("shop", TO, "hi", idempotency_key="k1")  # then it goes out
    assert len(fake.sends) == 1


async def test_a_403_without_a_restriction_still_names_the_api_key(
    fake: FakeBridge, connect: Connect
) -> None:
    gateway = connect()
    await linked(gateway, fake)
    fake.fail_sends(status=403)
    with pytest.raises(BridgeUnavailable, match="WA_BRIDGE_API_KEY"):
        await gateway.send_text("shop", TO, "hi", idempotency_key="k1")
