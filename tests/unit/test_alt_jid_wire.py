"""The bridge may report a sender's other JID (phone or @lid); it reaches the domain."""

from __future__ import annotations

import msgspec

from wa_agents.entrypoints.webhook.payloads import DECODERS
from wa_agents.entrypoints.webhook.translate import inbound_message


def received(**data: object) -> object:
    body = {"from": "204060801234567@lid", "messageId": "W1", "type": "text", "text": "hi", **data}
    return DECODERS["message.received"].decode(msgspec.json.encode(body))


def test_each_name_of_the_other_jid_is_accepted() -> None:
    for name in ("senderAlt", "senderPn"):
        inbound = inbound_message("shop", received(**{name: "15550000001@s.whatsapp.net"}), "")
        assert inbound.alt_jid == "15550000001@s.whatsapp.net"
    phone = received(**{"from": "15550000001@s.whatsapp.net", "senderLid": "1234567@lid"})
    assert inbound_message("shop", phone, "").alt_jid == "1234567@lid"


def test_no_alternative_for_the_same_jid_or_a_group() -> None:
    assert inbound_message("shop", received(), "").alt_jid is None
    same = received(senderAlt="204060801234567@lid")
    assert inbound_message("shop", same, "").alt_jid is None
    group = received(groupId="120363@g.us", senderAlt="15550000001@s.whatsapp.net")
    assert inbound_message("shop", group, "").alt_jid is None
