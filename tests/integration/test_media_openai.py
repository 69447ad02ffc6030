"""Media reaching a real OpenAI wire: the OpenAI chat adapter against the fake server.

A vision agent's image arrives at the server as an ``image_url`` content part (a data URL of
the exact bytes) with the caption as text; a non-vision agent's request carries the caption
only; a PDF's text is in the prompt.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from tests.support.media_files import JPEG, pdf_with_text
from tests.unit import test_media_pipeline as base
from wa_agents.adapters.memory import MemoryMediaSource, MemoryMessagingGateway
from wa_agents.adapters.openai import OpenAIChatModel
from wa_agents.domain.model.message import MessageType
from wa_agents.domain.services.platform import Platform

linked, media_message = base.linked, base.media_message
media_platform, source, transcriber = base.media_platform, base.source, base.transcriber


@pytest.fixture
def fake() -> Iterator[tuple[FakeOpenAI, str]]:
    server_side = FakeOpenAI()
    with serve(server_side) as server:
        yield server_side, server.url + "/v1"


def on_the_wire(platform: Platform, url: str) -> Platform:
    return replace(platform, model=OpenAIChatModel(API_KEY, base_url=url))


def last_user(fake: FakeOpenAI) -> Any:
    return [m for m in fake.requests[-1]["messages"] if m["role"] == "user"][-1]["content"]


async def test_a_vision_agent_gets_the_image_as_an_image_part(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    source: MemoryMediaSource,
    fake: tuple[FakeOpenAI, str],
) -> None:
    platform = on_the_wire(media_platform, fake[1])
    await linked(platform, gateway, vision=True)
    source.files[("shop", "I1")] = (JPEG, "image/jpeg")
    await platform.inbound.accept(media_message(MessageType.IMAGE, "I1", caption="broken?"))
    await platform.runner.run_until_idle()
    content = last_user(fake[0])
    assert content[0] == {"type": "text", "text": "broken?"}
    url = content[1]["image_url"]["url"]
    assert content[1]["type"] == "image_url" and url.startswith("data:image/jpeg;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == JPEG
    assert len(gateway.sent) == 1


async def test_a_non_vision_agent_gets_the_caption_as_text(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    source: MemoryMediaSource,
    fake: tuple[FakeOpenAI, str],
) -> None:
    platform = on_the_wire(media_platform, fake[1])
    await linked(platform, gateway)
    source.files[("shop", "I1")] = (JPEG, "image/jpeg")
    await platform.inbound.accept(media_message(MessageType.IMAGE, "I1", caption="broken?"))
    await platform.runner.run_until_idle()
    content = last_user(fake[0])
    assert isinstance(content, str) and "broken?" in content and "image_url" not in str(content)


async def test_a_pdf_text_reaches_the_model(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    source: MemoryMediaSource,
    fake: tuple[FakeOpenAI, str],
) -> None:
    platform = on_the_wire(media_platform, fake[1])
    await linked(platform, gateway)
    source.files[("shop", "D1")] = (pdf_with_text("Invoice 42: total 99 EUR"), "application/pdf")
    await platform.inbound.accept(media_message(MessageType.DOCUMENT, "D1", filename="inv.pdf"))
    await platform.runner.run_until_idle()
    assert "Invoice 42: total 99 EUR" in last_user(fake[0])
