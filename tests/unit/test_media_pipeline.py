"""Media end to end through memory adapters: fetched once after commit, understood, answered
once — voice notes, images (vision or caption), documents, locations, reactions, caps."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.support.media_files import JPEG, OGG_VOICE, pdf_with_text
from tests.support.memory_platform import memory_platform
from wa_agents.adapters.documents import PypdfDocumentReader
from wa_agents.adapters.memory import (
    ManualClock,
    MemoryMediaSource,
    MemoryMediaStore,
    MemoryMessagingGateway,
    MemoryTranscriber,
)
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.media import MediaInfo, MediaLimits, MediaPolicy, MediaStatus, media_of
from wa_agents.domain.model.message import Direction, Message, MessageType
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.media import MediaSettings
from wa_agents.domain.services.platform import Platform
from wa_agents.testing.contracts.media_store import stream

USER = "15551230000@s.whatsapp.net"


@pytest.fixture
def source() -> MemoryMediaSource:
    return MemoryMediaSource()


@pytest.fixture
def transcriber() -> MemoryTranscriber:
    return MemoryTranscriber()


@pytest.fixture
def media_platform(
    clock: ManualClock,
    model: ScriptedChatModel,
    gateway: MemoryMessagingGateway,
    source: MemoryMediaSource,
    transcriber: MemoryTranscriber,
) -> Platform:
    return memory_platform(
        clock,
        gateway,
        model,
        media_store=MemoryMediaStore(clock),
        media_source=source,
        transcriber=transcriber,
        reader=PypdfDocumentReader(),
        media_settings=MediaSettings(
            limits=MediaLimits(image=1000, audio=20_000), retention_days=7
        ),
    )


async def linked(platform: Platform, gateway: MemoryMessagingGateway, **policy: object) -> str:
    agent = await platform.agents.create(
        name="Helper",
        model="gpt-test",
        system_prompt="Be brief.",
        media=MediaPolicy(**policy),  # type: ignore[arg-type]
    )
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    return agent.id


def media_message(
    kind: MessageType, media_id: str, *, caption: str = "", wa_id: str = "WA1", **info: object
) -> InboundMessage:
    return InboundMessage(
        session_id="shop",
        from_jid=USER,
        content=caption,
        wa_message_id=wa_id,
        message_type=kind,
        media=MediaInfo(kind=kind.value, source_id=media_id, **info),  # type: ignore[arg-type]
    )


def user_texts(model: ScriptedChatModel) -> list[str]:
    return [m.content for m in model.calls[-1][0] if m.role == "user"]


async def stored(platform: Platform, message_id: str) -> Message:
    async with platform.uow() as uow:
        return await uow.messages.get(message_id)


async def test_a_voice_note_is_fetched_transcribed_and_answered_once(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    model: ScriptedChatModel,
    source: MemoryMediaSource,
    transcriber: MemoryTranscriber,
) -> None:
    await linked(media_platform, gateway)
    source.files[("shop", "V1")] = (OGG_VOICE, "audio/ogg; codecs=opus")
    transcriber.default = "do you open on sundays"
    voice = media_message(MessageType.AUDIO, "V1", mime_type="audio/ogg; codecs=opus", voice=True)
    first = await media_platform.inbound.accept(voice)
    assert media_of(first.message).status == MediaStatus.PENDING  # type: ignore[union-attr]
    assert source.downloads == 0  # never on the webhook path
    again = await media_platform.inbound.accept(voice)  # a redelivery
    assert again.duplicate
    await media_platform.runner.run_until_idle()

    assert len(gateway.sent) == 1
    assert "do you open on sundays" in user_texts(model)[-1]
    message = await stored(media_platform, first.message.id)
    media = media_of(message)
    assert media is not None and media.status == MediaStatus.READY
    assert media.transcript == "do you open on sundays" and media.mime_type == "audio/ogg"
    assert source.downloads == 1 and len(transcriber.heard) == 1

    await media_platform.media.run(first.message.id)  # type: ignore[union-attr]  # a retried job
    await media_platform.runner.run_until_idle()
    assert len(gateway.sent) == 1 and source.downloads == 1


async def test_a_failing_transcription_retries_without_fetching_again(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    source: MemoryMediaSource,
    transcriber: MemoryTranscriber,
) -> None:
    await linked(media_platform, gateway)
    source.files[("shop", "V1")] = (OGG_VOICE, "audio/ogg")
    transcriber.fail_times = 2
    await media_platform.inbound.accept(media_message(MessageType.AUDIO, "V1"))
    for _ in range(10):
        await media_platform.runner.run_until_idle()
        clock.advance(timedelta(minutes=5))
    assert len(gateway.sent) == 1 and source.downloads == 1 and len(transcriber.heard) == 1


async def test_a_transcription_that_never_works_still_gets_one_answer(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    source: MemoryMediaSource,
    transcriber: MemoryTranscriber,
) -> None:
    await linked(media_platform, gateway)
    source.files[("shop", "V1")] = (OGG_VOICE, "audio/ogg")
    transcriber.fail_times = 1000
    accepted = await media_platform.inbound.accept(media_message(MessageType.AUDIO, "V1"))
    for _ in range(40):
        await media_platform.runner.run_until_idle()
        clock.advance(timedelta(minutes=10))
    assert [m.text for m in gateway.sent] == ["Sorry, I can only read text messages for now."]
    media = media_of(await stored(media_platform, accepted.message.id))
    assert media is not None and media.status == MediaStatus.FAILED


async def test_without_a_transcriber_the_agent_asks_to_type(
    media_platform: Platform, gateway: MemoryMessagingGateway, source: MemoryMediaSource
) -> None:
    platform = replace(media_platform, transcriber=None)
    agent_id = await linked(platform, gateway)
    await platform.agents.update(agent_id, unsupported_media_reply="Please type it for me.")
    source.files[("shop", "V1")] = (OGG_VOICE, "audio/ogg")
    await platform.inbound.accept(media_message(MessageType.AUDIO, "V1"))
    await platform.runner.run_until_idle()
    assert [m.text for m in gateway.sent] == ["Please type it for me."]


async def test_an_image_reaches_a_vision_agent_as_an_image_part(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    model: ScriptedChatModel,
    source: MemoryMediaSource,
) -> None:
    await linked(media_platform, gateway, vision=True)
    source.files[("shop", "I1")] = (JPEG, "image/jpeg")
    await media_platform.inbound.accept(
        media_message(MessageType.IMAGE, "I1", caption="is this broken?")
    )
    await media_platform.runner.run_until_idle()
    last = [m for m in model.calls[-1][0] if m.role == "user"][-1]
    assert last.content == "is this broken?"
    assert [(i.mime_type, i.data) for i in last.images] == [("image/jpeg", JPEG)]


async def test_a_non_vision_agent_gets_the_caption_only(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    model: ScriptedChatModel,
    source: MemoryMediaSource,
) -> None:
    await linked(media_platform, gateway)
    source.files[("shop", "I1")] = (JPEG, "image/jpeg")
    await media_platform.inbound.accept(
        media_message(MessageType.IMAGE, "I1", caption="is this broken?")
    )
    await media_platform.runner.run_until_idle()
    last = [m for m in model.calls[-1][0] if m.role == "user"][-1]
    assert last.images == () and "is this broken?" in last.content and "image" in last.content


async def test_a_pdf_text_reaches_the_model_within_the_budget(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    model: ScriptedChatModel,
    source: MemoryMediaSource,
) -> None:
    await linked(media_platform, gateway, document_tokens=100)
    long_text = "Invoice total 42 euros " + "lorem ipsum " * 200
    source.files[("shop", "D1")] = (pdf_with_text(long_text), "application/pdf")
    await media_platform.inbound.accept(
        media_message(MessageType.DOCUMENT, "D1", filename="invoice.pdf")
    )
    await media_platform.runner.run_until_idle()
    seen = user_texts(model)[-1]
    assert "Invoice total 42 euros" in seen and "invoice.pdf" in seen
    assert len(seen) < 600 and "cut" in seen


async def test_a_file_over_the_cap_is_refused_without_fetching_and_answered_politely(
    media_platform: Platform, gateway: MemoryMessagingGateway, source: MemoryMediaSource
) -> None:
    await linked(media_platform, gateway)
    source.files[("shop", "I1")] = (JPEG * 10, "image/jpeg")
    declared = media_message(MessageType.IMAGE, "I1", size=100 * 1024 * 1024)
    accepted = await media_platform.inbound.accept(declared)
    await media_platform.runner.run_until_idle()
    assert source.downloads == 0
    assert [m.text for m in gateway.sent] == [MediaPolicy().too_large_reply]
    media = media_of(await stored(media_platform, accepted.message.id))
    assert media is not None and media.status == MediaStatus.TOO_LARGE


async def test_a_stream_longer_than_the_cap_is_cut_off_and_nothing_kept(
    media_platform: Platform, gateway: MemoryMessagingGateway, source: MemoryMediaSource
) -> None:
    await linked(media_platform, gateway)
    source.files[("shop", "I1")] = (JPEG * 10, "image/jpeg")  # undeclared size, > 1000 bytes
    accepted = await media_platform.inbound.accept(media_message(MessageType.IMAGE, "I1"))
    await media_platform.runner.run_until_idle()
    media = media_of(await stored(media_platform, accepted.message.id))
    assert media is not None and media.status == MediaStatus.TOO_LARGE and media.key is None
    assert media_platform.media_store.objects == {}  # type: ignore[union-attr]
    assert len(gateway.sent) == 1


async def test_bytes_that_are_not_what_the_message_says_are_refused(
    media_platform: Platform, gateway: MemoryMessagingGateway, source: MemoryMediaSource
) -> None:
    await linked(media_platform, gateway)
    source.files[("shop", "I1")] = (b"MZ\x90\x00" + bytes(100), "image/jpeg")
    accepted = await media_platform.inbound.accept(media_message(MessageType.IMAGE, "I1"))
    await media_platform.runner.run_until_idle()
    media = media_of(await stored(media_platform, accepted.message.id))
    assert media is not None and media.status == MediaStatus.REJECTED
    assert media_platform.media_store.objects == {}  # type: ignore[union-attr]
    assert len(gateway.sent) == 1


async def test_a_bridge_without_media_gives_the_caption_and_a_note(
    media_platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    await linked(media_platform, gateway)
    await media_platform.inbound.accept(
        media_message(MessageType.IMAGE, "gone", caption="look at my receipt")
    )
    await media_platform.runner.run_until_idle()
    seen = user_texts(model)[-1]
    assert "could not be opened" in seen and "look at my receipt" in seen


async def test_a_location_is_given_to_the_model_as_short_text(
    media_platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    await linked(media_platform, gateway)
    where = {"latitude": -23.5, "longitude": -46.6, "name": "Shop", "address": "Main St 1"}
    await media_platform.inbound.accept(
        InboundMessage(
            session_id="shop",
            from_jid=USER,
            content="",
            wa_message_id="L1",
            message_type=MessageType.LOCATION,
            metadata={"location": where},
        )
    )
    await media_platform.runner.run_until_idle()
    assert user_texts(model)[-1] == "[The user shared a location: Shop, Main St 1 (-23.5, -46.6)]"


async def test_a_reaction_to_our_reply_is_recorded_on_it_and_never_answered(
    media_platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await linked(media_platform, gateway)
    await media_platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid=USER, content="hi", wa_message_id="T1")
    )
    await media_platform.runner.run_until_idle()
    reply_wa_id = gateway.sent[0].wa_message_id
    reaction = InboundMessage(
        session_id="shop",
        from_jid=USER,
        content="",
        wa_message_id="R1",
        message_type=MessageType.REACTION,
        metadata={"reaction": {"emoji": "👍", "messageId": reply_wa_id}},
    )
    result = await media_platform.inbound.accept(reaction)
    await media_platform.runner.run_until_idle()
    assert not result.turn_scheduled and len(gateway.sent) == 1
    async with media_platform.uow() as uow:
        reply = await uow.messages.find_by_wa_id("shop", Direction.OUTBOUND, reply_wa_id)
    assert reply is not None and reply.metadata["reactions"] == {USER: "👍"}


async def test_retention_deletes_expired_files(
    media_platform: Platform, clock: ManualClock
) -> None:
    store = media_platform.media_store
    assert store is not None and media_platform.media is not None
    old = await store.put(stream([b"old"]), max_bytes=100)
    clock.advance(timedelta(days=8))
    new = await store.put(stream([b"new"]), max_bytes=100)
    assert await media_platform.media.purge_expired() == 1
    assert await store.stat(old.key) is None and await store.stat(new.key) is not None


async def test_a_text_after_a_stuck_voice_note_is_not_held_up(
    media_platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    source: MemoryMediaSource,
    transcriber: MemoryTranscriber,
) -> None:
    await linked(media_platform, gateway)
    source.files[("shop", "V1")] = (OGG_VOICE, "audio/ogg")
    transcriber.fail_times, transcriber.default = 1, "the voice note"
    await media_platform.inbound.accept(media_message(MessageType.AUDIO, "V1"))
    await media_platform.runner.run_until_idle()  # the transcription failed: retried later
    await media_platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid=USER, content="hello?", wa_message_id="T2")
    )
    await media_platform.runner.run_until_idle()
    assert len(gateway.sent) == 1 and "hello?" in user_texts(model_of(media_platform))[-1]
    for _ in range(5):
        clock.advance(timedelta(minutes=5))
        await media_platform.runner.run_until_idle()
    assert len(gateway.sent) == 2
    assert "the voice note" in user_texts(model_of(media_platform))[-1]


def model_of(platform: Platform) -> ScriptedChatModel:
    assert isinstance(platform.model, ScriptedChatModel)
    return platform.model
