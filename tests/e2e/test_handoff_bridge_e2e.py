"""Handoff through our real Node bridge: the owner types on the (simulated) phone, the agent
steps back; the contact sends the resume word, the agent is back. Every switch is audited and
published on the live event stream the dashboard reads."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.test_bridge_e2e import (
    SESSION,
    Stack,
    jid,
    link_number,
    running_stack,
    wait_for,
)
from tests.support.server_process import ServerProcess

pytestmark = pytest.mark.slow
CONTACT = "5511966665555"
PATIENCE = 60.0  # seconds for each step, on a loaded machine


class LiveEvents:
    """Reads ``/api/v1/events`` in a thread, keeping each event's (kind, data)."""

    def __init__(self, stack: Stack) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self._connected = threading.Event()
        self._client = httpx.Client(
            base_url=str(stack.api.base_url), headers=dict(stack.api.headers), timeout=None
        )
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._connected.wait(10), "the event stream did not open"

    def _read(self) -> None:
        kind = ""
        try:
            with self._client.stream("GET", "/api/v1/events") as response:
                for line in response.iter_lines():
                    if line.startswith(":"):
                        self._connected.set()
                    elif line.startswith("event:"):
                        kind = line.split(":", 1)[1].strip()
                    elif line.startswith("data:") and line[5:].strip():  # not a bare "data:"
                        self.events.append((kind, json.loads(line[5:])))
        except httpx.HTTPError:
            pass  # closed at the end of the test

    def modes(self) -> list[tuple[str, str | None, str]]:
        return [
            (d["mode"], d["by"], d["reason"]) for k, d in self.events if k == "conversation.mode"
        ]

    def close(self) -> None:
        self._client.close()


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    # Our own helper, given more time: on a loaded machine the server's imports alone can
    # take most of its default minute.
    start = ServerProcess.start
    monkeypatch.setattr(ServerProcess, "start", lambda self, timeout=240: start(self, timeout))
    with running_stack(tmp_path) as running:
        yield running


def _mode(stack: Stack) -> dict[str, Any]:
    found: dict[str, Any] = stack.get(f"/api/v1/sessions/{SESSION}/conversations")["items"][0]
    return found


def _texts_to_contact(stack: Stack) -> list[str]:
    return [e["message"]["text"] for e in stack.outbox() if e["to"] == jid(CONTACT)]


def test_the_owner_on_the_phone_takes_over_and_the_resume_word_gives_it_back(
    stack: Stack,
) -> None:
    link_number(stack)
    live = LiveEvents(stack)
    try:
        stack.inbound(CONTACT, "hi")
        wait_for("the agent's reply", lambda: len(_texts_to_contact(stack)) == 1, PATIENCE)

        owner = stack.bridge.call(
            "POST",
            f"/simulator/sessions/{SESSION}/owner",
            json={"to": CONTACT, "text": "Hi, this is the owner, I'll help you."},
        )
        assert owner["fromMe"] is True
        handed = wait_for(
            "the owner's handoff", lambda: (c := _mode(stack))["mode"] == "human" and c, PATIENCE
        )
        assert handed["mode_by"] == "owner"
        wait_for("the live event", lambda: live.modes(), PATIENCE)
        assert live.modes() == [("human", "owner", "the owner replied from the phone")]

        stack.inbound(CONTACT, "great, thanks")  # a person answers now: the agent is quiet
        wait_for("the backend to settle", stack.jobs_settled, PATIENCE)
        time.sleep(0.3)
        assert len(_texts_to_contact(stack)) == 1

        stack.inbound(CONTACT, "/help")  # still answered, saying how to get back
        wait_for("the help reply", lambda: len(_texts_to_contact(stack)) == 2, PATIENCE)
        assert "Send /bot to talk to the assistant again." in _texts_to_contact(stack)[-1]

        stack.inbound(CONTACT, "/bot")
        wait_for("the resume notice", lambda: len(_texts_to_contact(stack)) == 3, PATIENCE)
        assert _texts_to_contact(stack)[-1] == "You are talking to the assistant again."
        assert _mode(stack)["mode"] == "ai"
        wait_for("the second live event", lambda: len(live.modes()) == 2, PATIENCE)
        assert live.modes()[1] == ("ai", "user", "the user sent /bot")

        stack.inbound(CONTACT, "one more question")
        wait_for("the agent again", lambda: len(_texts_to_contact(stack)) == 4, PATIENCE)
        assert "one more question" in _texts_to_contact(stack)[-1]
    finally:
        live.close()
    audit = stack.get("/api/v1/audit", action="conversation.mode")["items"]
    assert sorted((a["actor"], a["details"]["mode"]) for a in audit) == [
        ("owner", "human"),
        ("user", "ai"),
    ]
