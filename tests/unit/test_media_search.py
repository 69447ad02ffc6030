"""Transcripts are searchable; a contact's documents join that contact's memory only when
the agent says so; a message still being transcribed is indexed once it is done."""

from __future__ import annotations

from dataclasses import replace

from tests.support.media_files import OGG_VOICE, pdf_with_text
from tests.unit import test_media_pipeline as base
from wa_agents.adapters.memory import (
    HashingEmbedder,
    MemoryMediaSource,
    MemoryMessagingGateway,
    MemoryTranscriber,
    MemoryVectorIndex,
)
from wa_agents.domain.model.media import MediaPolicy
from wa_agents.domain.model.message import MessageType
from wa_agents.domain.services.platform import Platform
from wa_agents.domain.services.search import SearchService

USER, linked, media_message = base.USER, base.linked, base.media_message
media_platform, source, transcriber = base.media_platform, base.source, base.transcriber


def searchable(platform: Platform) -> tuple[Platform, SearchService]:
    with_index = replace(platform, knowledge=MemoryVectorIndex(HashingEmbedder()))
    assert with_index.search is not None
    return with_index, with_index.search


async def found(search: SearchService, query: str) -> list[str]:
    hits = await search.conversation("shop", USER, query, limit=5)
    return [hit.message.id for hit in hits if hit.score > 0.3]


async def test_a_transcript_is_found_by_search(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    source: MemoryMediaSource,
    transcriber: MemoryTranscriber,
) -> None:
    platform, search = searchable(media_platform)
    await linked(platform, gateway)
    source.files[("shop", "V1")] = (OGG_VOICE, "audio/ogg")
    transcriber.default = "my order number is 4711 and it never arrived"
    accepted = await platform.inbound.accept(media_message(MessageType.AUDIO, "V1"))
    await platform.runner.run_until_idle()
    assert accepted.message.id in await found(search, "order number 4711 never arrived")


async def test_documents_join_the_contact_memory_only_when_the_agent_says_so(
    media_platform: Platform, gateway: MemoryMessagingGateway, source: MemoryMediaSource
) -> None:
    platform, search = searchable(media_platform)
    agent_id = await linked(platform, gateway)
    text = "warranty certificate serial ZX-991 valid until march"
    source.files[("shop", "D1")] = (pdf_with_text(text), "application/pdf")
    source.files[("shop", "D2")] = (pdf_with_text(text + " again"), "application/pdf")
    first = await platform.inbound.accept(media_message(MessageType.DOCUMENT, "D1", wa_id="W1"))
    await platform.runner.run_until_idle()
    assert first.message.id not in await found(search, text)

    await platform.agents.update(agent_id, media=MediaPolicy(documents_to_memory=True))
    second = await platform.inbound.accept(media_message(MessageType.DOCUMENT, "D2", wa_id="W2"))
    await platform.runner.run_until_idle()
    assert second.message.id in await found(search, text)
