"""Operators send files: stored, kind from the bytes, sent once by the durable send job."""

from __future__ import annotations

import pytest

from tests.support.media_files import JPEG, pdf_with_text
from tests.unit import test_media_pipeline as base
from wa_agents.adapters.memory import MemoryMessagingGateway
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.media import MediaStatus, media_of
from wa_agents.domain.model.message import MessageType
from wa_agents.domain.services.platform import Platform
from wa_agents.testing.contracts.media_store import stream

USER, linked = base.USER, base.linked
media_platform, source, transcriber = base.media_platform, base.source, base.transcriber


async def test_an_uploaded_image_is_sent_once_with_its_caption(
    media_platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await linked(media_platform, gateway)
    assert media_platform.media_sends is not None
    message = await media_platform.media_sends.send_file(
        "shop",
        USER,
        stream([JPEG[:10], JPEG[10:]]),
        actor="op",
        caption="our menu",
        filename="menu.jpg",
        declared_type="application/octet-stream",
    )
    assert message.message_type == MessageType.IMAGE
    media = media_of(message)
    assert media is not None and media.status == MediaStatus.READY
    assert media.mime_type == "image/jpeg"
    await media_platform.runner.run_until_idle()
    await media_platform.sender.send(message.id)  # a repeated send job changes nothing
    assert len(gateway.sent) == 1
    sent = gateway.media[gateway.sent[0].wa_message_id]
    assert (sent.kind, sent.data, sent.caption, sent.filename) == (
        "image",
        JPEG,
        "our menu",
        "menu.jpg",
    )
    assert gateway.sent[0].idempotency_key == message.id


async def test_a_pdf_goes_as_a_document_and_an_executable_is_refused(
    media_platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await linked(media_platform, gateway)
    assert media_platform.media_sends is not None
    pdf = await media_platform.media_sends.send_file(
        "shop", USER, stream([pdf_with_text("Price list")]), actor="op", filename="prices.pdf"
    )
    assert pdf.message_type == MessageType.DOCUMENT
    assert media_of(pdf).mime_type == "application/pdf"  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        await media_platform.media_sends.send_file(
            "shop", USER, stream([b"MZ\x90\x00" + bytes(60)]), actor="op", filename="x.exe"
        )
