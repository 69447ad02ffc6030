"""Media end to end: our real Node bridge (simulator) and ``wa-agents serve``, with a fake
OpenAI server speaking the real multipart transcription API.

A voice note written on the simulated phone is fetched from the bridge's media route,
transcribed by the fake server, answered once (also when the bridge replays it), and served
back to a signed-in user; a 100 MB file is refused without being fetched, with a polite reply.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_bridge_e2e import SESSION, Stack, jid, link_number, running_stack, wait_for
from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from tests.support.media_files import JPEG, OGG_VOICE

pytestmark = pytest.mark.slow
VOICE_TEXT = "do you deliver on sundays"


@pytest.fixture
def fake_openai() -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    fake.transcripts[hashlib.sha256(OGG_VOICE).hexdigest()] = VOICE_TEXT
    with serve(fake) as server:
        yield fake, server.url


@pytest.fixture
def media_stack(tmp_path: Path, fake_openai: tuple[FakeOpenAI, str]) -> Iterator[Stack]:
    env = {
        "WA_TRANSCRIBER": "openai",
        "WA_TRANSCRIPTION_BASE_URL": fake_openai[1] + "/v1",
        "WA_TRANSCRIPTION_API_KEY": API_KEY,
    }
    with running_stack(tmp_path, extra_env=env) as stack:
        yield stack


def replies_to(stack: Stack, number: str) -> list[dict[str, object]]:
    return [entry for entry in stack.outbox() if entry["to"] == jid(number)]


def test_a_voice_note_is_transcribed_and_answered_once(
    media_stack: Stack, fake_openai: tuple[FakeOpenAI, str]
) -> None:
    stack, (fake, _) = media_stack, fake_openai
    link_number(stack)
    number = "5511988887777"
    note = {
        "from": number,
        "type": "audio",
        "ptt": True,
        "seconds": 3,
        "mimetype": "audio/ogg; codecs=opus",
        "mediaBase64": base64.b64encode(OGG_VOICE).decode(),
    }
    sent = stack.bridge.call("POST", f"/simulator/sessions/{SESSION}/inbound", json=note)
    wait_for("one reply to the voice note", lambda: replies_to(stack, number), 30)
    stack.bridge.call(  # the bridge delivers the same message again (same webhook-id)
        "POST",
        f"/simulator/sessions/{SESSION}/inbound",
        json={**note, "messageId": sent["messageId"]},
    )
    wait_for("the jobs to settle", stack.jobs_settled, 30)
    assert len(replies_to(stack, number)) == 1
    assert [t["sha256"] for t in fake.transcriptions] == [hashlib.sha256(OGG_VOICE).hexdigest()]
    assert fake.transcriptions[0]["content_type"] == "audio/ogg"

    history = stack.history(number)
    voice = next(m for m in history if m["message_type"] == "audio")
    assert voice["media"]["transcript"] == VOICE_TEXT
    assert voice["media"]["status"] == "ready" and voice["media"]["size"] == len(OGG_VOICE)
    served = stack.api.get(voice["media_url"])
    assert served.status_code == 200 and served.content == OGG_VOICE
    assert served.headers["content-type"].startswith("audio/ogg")
    assert served.headers["content-disposition"].startswith("inline")
    anonymous = stack.api.get(voice["media_url"], headers={"Authorization": ""})
    assert anonymous.status_code == 401


def test_a_100_mb_file_is_refused_with_a_polite_reply(media_stack: Stack) -> None:
    stack = media_stack
    link_number(stack)
    number = "5511977776666"
    stack.bridge.call(
        "POST",
        f"/simulator/sessions/{SESSION}/inbound",
        json={"from": number, "type": "document", "fileName": "huge.pdf", "mediaSize": 100_000_000},
    )
    reply = wait_for("the polite reply", lambda: replies_to(stack, number), 30)
    assert "too large" in str(reply[0]["message"]["text"])  # type: ignore[index]
    document = next(m for m in stack.history(number) if m["message_type"] == "document")
    assert document["media"]["status"] == "too_large"
    assert "media of message" in stack.logs() and "refused" in stack.logs()


def test_an_operator_media_send_is_delivered_once(media_stack: Stack) -> None:
    stack = media_stack
    link_number(stack)
    number = "5511966665555"
    sent = stack.api.post(
        f"/api/v1/sessions/{SESSION}/conversations/{jid(number)}/media",
        files={"file": ("menu.jpg", JPEG, "application/octet-stream")},
        data={"caption": "today's menu"},
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["message_type"] == "image" and sent.json()["media"]["status"] == "ready"
    wait_for("the jobs to settle", stack.jobs_settled, 30)
    delivered = replies_to(stack, number)
    assert len(delivered) == 1, delivered
    message = delivered[0]["message"]
    assert message["type"] == "image" and message["caption"] == "today's menu"  # type: ignore[index]
    assert message["mediaSha256"] == hashlib.sha256(JPEG).hexdigest()  # type: ignore[index]
    refused = stack.api.post(
        f"/api/v1/sessions/{SESSION}/conversations/{jid(number)}/media",
        json={"url": "http://127.0.0.1:1/secret.png"},
    )
    assert refused.status_code == 422 and "refused" in refused.json()["detail"]
