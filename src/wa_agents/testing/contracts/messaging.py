"""Contract of ``MessagingGateway``. Fixture: ``messaging`` -> ``MessagingHarness``."""

from __future__ import annotations

import pytest

from wa_agents.domain.model.errors import AlreadyExists, NotFound, SessionNotConnected
from wa_agents.domain.model.session import SessionStatus
from wa_agents.testing.harness import MessagingHarness

TO = "15551230000@s.whatsapp.net"


class MessagingGatewayContract:
    async def test_a_new_session_waits_for_its_qr_to_be_scanned(
        self, messaging: MessagingHarness
    ) -> None:
        info = await messaging.gateway.create_session("shop")
        assert info.id == "shop"
        assert info.status == SessionStatus.QR_WAITING and info.qr_code
        with pytest.raises(AlreadyExists):
            await messaging.gateway.create_session("shop")

    async def test_linking_connects_the_session(self, messaging: MessagingHarness) -> None:
        await messaging.gateway.create_session("shop")
        await messaging.link("shop")
        info = await messaging.gateway.get_session("shop")
        assert info.status == SessionStatus.CONNECTED and info.phone_number

    async def test_unknown_sessions_raise_not_found(self, messaging: MessagingHarness) -> None:
        with pytest.raises(NotFound):
            await messaging.gateway.get_session("ghost")
        with pytest.raises(NotFound):
            await messaging.gateway.delete_session("ghost")

    async def test_sending_needs_a_connected_session(self, messaging: MessagingHarness) -> None:
        await messaging.gateway.create_session("shop")
        with pytest.raises(SessionNotConnected):
            await messaging.gateway.send_text("shop", TO, "hi", idempotency_key="k0")
        assert await messaging.sent("shop") == []

    async def test_a_send_with_the_same_key_goes_out_once(
        self, messaging: MessagingHarness
    ) -> None:
        await messaging.gateway.create_session("shop")
        await messaging.link("shop")
        first = await messaging.gateway.send_text("shop", TO, "hello", idempotency_key="k1")
        again = await messaging.gateway.send_text("shop", TO, "hello", idempotency_key="k1")
        other = await messaging.gateway.send_text("shop", TO, "second", idempotency_key="k2")
        assert first == again and first != other and first
        assert await messaging.sent("shop") == [(TO, "hello"), (TO, "second")]

    async def test_logout_then_reconnect_asks_for_a_new_qr(
        self, messaging: MessagingHarness
    ) -> None:
        await messaging.gateway.create_session("shop")
        await messaging.link("shop")
        await messaging.gateway.logout("shop")
        assert (await messaging.gateway.get_session("shop")).status == SessionStatus.LOGGED_OUT
        with pytest.raises(SessionNotConnected):
            await messaging.gateway.send_text("shop", TO, "hi", idempotency_key="k3")
        info = await messaging.gateway.reconnect("shop")
        assert info.status in (
            SessionStatus.QR_WAITING,
            SessionStatus.PENDING,
            SessionStatus.RECONNECTING,
        )

    async def test_delete_forgets_the_session(self, messaging: MessagingHarness) -> None:
        await messaging.gateway.create_session("shop")
        await messaging.gateway.delete_session("shop")
        with pytest.raises(NotFound):
            await messaging.gateway.get_session("shop")

    async def test_presence_and_read_receipts_are_accepted(
        self, messaging: MessagingHarness
    ) -> None:
        await messaging.gateway.create_session("shop")
        await messaging.link("shop")
        await messaging.gateway.send_presence("shop", TO, "composing")
        await messaging.gateway.mark_read("shop", TO, ["WA1"])
        assert await messaging.sent("shop") == []

    async def test_a_pairing_code_links_by_number_while_waiting_for_a_scan(
        self, messaging: MessagingHarness
    ) -> None:
        await messaging.gateway.create_session("shop")
        try:
            code = await messaging.gateway.request_pairing_code("shop", "5511988887777")
        except NotFound:  # a bridge without pairing codes (a plain zapw) says so
            return
        assert isinstance(code, str) and len(code) == 8 and code.isalnum()
        await messaging.link("shop")
        with pytest.raises(SessionNotConnected):
            await messaging.gateway.request_pairing_code("shop", "5511988887777")
        with pytest.raises(NotFound):
            await messaging.gateway.request_pairing_code("ghost", "5511988887777")
