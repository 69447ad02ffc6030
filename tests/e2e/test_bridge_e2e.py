"""End to end through our real Node bridge: the backend and the bridge as two subprocesses.

``wa-agents serve`` (embedded SQLite in tmp, scripted model) talks to ``bridge/`` with the
simulator driver over real HTTP, and receives its events as signed webhooks. The test acts
like a user: creates an agent and a session through the backend API (which creates the session
on the bridge and shows its QR), scans it through the simulator, writes to the number from
simulated contacts, and reads the replies from the simulator's outbox and the backend's API.

The second test restarts the bridge (SIGTERM and SIGKILL) while inbound events are still in
its durable webhook queue. To make sure they are (and that no reply can go to the old
process, whose outbox lives in memory and dies with it), the backend is paused with SIGSTOP
while those messages arrive and the bridge restarts: it is simply unreachable for a moment.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests.support.bridge_process import (
    BridgeProcess,
    new_webhook_secret,
    require_bridge,
    slow_proxy,
)
from tests.support.server_process import ServerProcess

pytestmark = pytest.mark.slow
ADMIN, PASSWORD = "e2e-admin", "e2e-passphrase-123"
SESSION, OWN_NUMBER, OWN_NAME = "shop", "5511900000001", "E2E Shop"
T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T | None], seconds: float = 15) -> T:
    """Polls ``probe`` until it returns something truthy; fails naming ``what``."""
    deadline = time.monotonic() + seconds
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def jid(number: str) -> str:
    return f"{number}@s.whatsapp.net"


@dataclass
class Stack:
    bridge: BridgeProcess
    server: ServerProcess
    api: httpx.Client

    # --- the user, through the backend API -------------------------------------------------
    def get(self, path: str, **params: Any) -> Any:
        response = self.api.get(path, params=params)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        return response.json()

    def session(self) -> dict[str, Any]:
        result: dict[str, Any] = self.get(f"/api/v1/sessions/{SESSION}")
        return result

    def history(self, number: str) -> list[dict[str, Any]]:
        """The conversation with ``number``, oldest first ([] while it does not exist)."""
        response = self.api.get(
            f"/api/v1/sessions/{SESSION}/conversations/{jid(number)}/messages",
            params={"limit": 100},
        )
        if response.status_code == 404:
            return []
        assert response.status_code == 200, response.text
        return list(reversed(response.json()["items"]))

    def jobs_settled(self) -> bool:
        """No job pending or running, and none dead."""
        totals = {s: self.get("/api/v1/jobs", status=s)["total"] for s in ("pending", "running")}
        dead = self.get("/api/v1/jobs", status="dead")
        assert dead["total"] == 0, f"dead jobs: {dead['items']}"
        return totals == {"pending": 0, "running": 0}

    # --- the phone and the contacts, through the simulator ---------------------------------
    def inbound(self, number: str, text: str) -> str:
        message = self.bridge.call(
            "POST", f"/simulator/sessions/{SESSION}/inbound", json={"from": number, "text": text}
        )
        assert message["from"] == jid(number)
        message_id: str = message["messageId"]
        return message_id

    def outbox(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.bridge.call(
            "GET", f"/simulator/sessions/{SESSION}/outbox"
        )
        return result

    def logs(self) -> str:
        server_log = self.server_log.read_text(errors="replace") if self.server_log.exists() else ""
        return f"{self.bridge.logs()}\n--- server.log\n{server_log[-20000:]}"

    @property
    def server_log(self) -> Path:
        return self.bridge.dir / "server.log"


@contextmanager
def running_stack(
    tmp_path: Path,
    slow_calls: dict[tuple[str, str], float] | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Stack]:
    """The bridge, then the backend pointed at it (through a ``slow_proxy`` if asked)."""
    require_bridge()
    secret = new_webhook_secret()
    server = ServerProcess(
        {
            "WA_DATA_DIR": str(tmp_path / "backend"),  # embedded SQLite, migrates itself
            "WA_LLM": "scripted",
            "WA_WEBHOOK_SECRET": secret,
            "WA_ADMIN_USERNAME": ADMIN,
            "WA_ADMIN_PASSWORD": PASSWORD,
            "WA_SECRET_KEY": "e" * 40,
            "WA_DEBOUNCE_MS": "0",
            "WA_SEND_MIN_INTERVAL_MS": "0",
            "WA_WORKERS": "2",
            "WA_LOG_LEVEL": "info",
            "WA_EMBEDDER": "hashing",  # fast; test_knowledge_e2e runs the real defaults
            "WA_VECTOR_STORE": "memory",
            **(extra_env or {}),
        },
        tmp_path / "server.log",
    )
    bridge = BridgeProcess(
        tmp_path,
        webhook_url=f"{server.url}/webhooks/bridge",
        webhook_secret=secret,
        # A paused backend is noticed within 2 s; redeliveries come quickly after that.
        extra_env={
            "WEBHOOK_TIMEOUT_MS": "2000",
            "WEBHOOK_BACKOFF_BASE_MS": "50",
            "WEBHOOK_BACKOFF_MAX_MS": "500",
        },
    )
    api = httpx.Client(base_url=server.url, timeout=30)
    stack = Stack(bridge, server, api)
    with ExitStack() as cleanup:
        try:
            bridge.start()
            bridge_url = bridge.url
            if slow_calls:
                bridge_url = cleanup.enter_context(slow_proxy(bridge.url, slow_calls)).url
            server.env["WA_BRIDGE_URL"] = bridge_url
            server.env["WA_BRIDGE_API_KEY"] = bridge.api_key
            server.start()
            login = api.post("/api/v1/auth/login", json={"username": ADMIN, "password": PASSWORD})
            assert login.status_code == 200, login.text
            api.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            yield stack
        finally:
            api.close()
            if server.process is not None and server.process.poll() is None:
                server.process.send_signal(signal.SIGCONT)  # in case a test left it paused
            server.stop()
            bridge.close()
            print(stack.logs())  # shown by pytest when the test failed


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    with running_stack(tmp_path) as running:
        yield running


def create_agent(stack: Stack) -> str:
    agent = stack.api.post(
        "/api/v1/agents", json={"name": "Echo", "model": "m", "system_prompt": "Be brief."}
    )
    assert agent.status_code == 201, agent.text
    agent_id: str = agent.json()["id"]
    return agent_id


def link_number(stack: Stack) -> None:
    """Agent and session through the backend; the QR is scanned on the simulated phone."""
    agent_id = create_agent(stack)
    created = stack.api.post("/api/v1/sessions", json={"id": SESSION, "agent_id": agent_id})
    assert created.status_code == 201, created.text
    session = wait_for(
        "the QR in the backend",
        lambda: (s := stack.session())["status"] == "qr_waiting" and s["qr_code"] and s,
    )
    assert session["agent_id"] == agent_id
    assert session["status"] == "qr_waiting", session
    assert session["qr_code"].startswith("data:image/png;base64,"), session["qr_code"][:40]
    on_bridge = stack.bridge.call("GET", f"/sessions/{SESSION}")
    assert on_bridge["status"] == "qr_waiting" and on_bridge["qrCode"] == session["qr_code"]

    scanned = stack.bridge.call(
        "POST",
        f"/simulator/sessions/{SESSION}/scan",
        json={"phoneNumber": OWN_NUMBER, "name": OWN_NAME},
    )
    assert scanned["status"] == "connected"
    # Only the bridge's session.connected webhook can tell the backend.
    connected = wait_for(
        "the backend to see the session connected",
        lambda: (s := stack.session())["status"] == "connected" and s,
    )
    assert connected["phone_number"] == OWN_NUMBER
    assert connected["display_name"] == OWN_NAME
    assert connected["qr_code"] is None


def replies_by_contact(outbox: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in outbox:
        found.setdefault(entry["to"], []).append(entry)
    return found


def check_conversation(
    stack: Stack, number: str, text: str, inbound_id: str, reply: dict[str, Any]
) -> None:
    """The backend stored the message once and the reply once, tied together."""
    history = stack.history(number)
    inbound = [m for m in history if m["direction"] == "inbound"]
    outbound = [m for m in history if m["direction"] == "outbound"]
    assert [(m["wa_message_id"], m["content"]) for m in inbound] == [(inbound_id, text)], history
    assert inbound[0]["status"] == "processed", inbound
    assert len(outbound) == 1, history
    assert outbound[0]["wa_message_id"] == reply["messageId"], (outbound, reply)
    assert outbound[0]["content"] == reply["message"]["text"]
    assert outbound[0]["status"] in ("sent", "delivered", "read"), outbound
    assert outbound[0]["metadata"]["in_reply_to"] == [inbound[0]["id"]], outbound


def settled(stack: Stack, expected: dict[str, str]) -> bool:
    """Every contact in ``expected`` has its reply stored as sent, and no job is left."""
    for number in expected:
        history = stack.history(number)
        if not any(m["direction"] == "outbound" and m["wa_message_id"] for m in history):
            return False
    return stack.jobs_settled()


def test_a_message_through_the_bridge_gets_exactly_one_reply(stack: Stack) -> None:
    started = time.monotonic()
    link_number(stack)
    contact, text = "5511988887777", "hello through the bridge"
    inbound_id = stack.inbound(contact, text)

    [reply] = wait_for("a reply in the outbox", stack.outbox)
    assert reply["to"] == jid(contact)
    assert reply["message"]["type"] == "text"
    assert text in reply["message"]["text"] and "You said" in reply["message"]["text"]

    wait_for("the backend to settle", lambda: settled(stack, {contact: text}))
    time.sleep(0.3)  # anything else on its way would have left by now
    assert len(stack.outbox()) == 1, stack.outbox()
    check_conversation(stack, contact, text, inbound_id, reply)
    conversations = stack.get(f"/api/v1/sessions/{SESSION}/conversations")["items"]
    assert [c["contact_jid"] for c in conversations] == [jid(contact)]
    assert stack.session()["status"] == "connected"
    assert time.monotonic() - started < 30


def test_a_contact_who_comes_back_as_a_lid_keeps_one_conversation(stack: Stack) -> None:
    """Phone JID first, then the same person as an ``@lid`` JID: the bridge reports the phone
    form as ``senderAlt``/``senderPn`` and the backend keeps one conversation (one memory)."""
    link_number(stack)
    contact, lid = "5511988887777", "204060801234567@lid"
    first = stack.inbound(contact, "my name is Zé")
    wait_for("the first reply", lambda: settled(stack, {contact: "my name is Zé"}))
    inbound = f"/simulator/sessions/{SESSION}/inbound"
    as_lid = stack.bridge.call(
        "POST", inbound, json={"from": lid, "senderAlt": contact, "text": "who am I?"}
    )
    reported = (as_lid["from"], as_lid["senderAlt"], as_lid["senderPn"], as_lid["senderLid"])
    assert reported == (lid, jid(contact), jid(contact), lid)
    # later messages under the LID alone still reach the same conversation
    lid_only = stack.bridge.call("POST", inbound, json={"from": lid, "text": "and my order?"})
    assert "senderAlt" not in lid_only

    def replied_to_all() -> list[dict[str, Any]] | None:
        history = stack.history(contact)
        replies = [m for m in history if m["direction"] == "outbound" and m["wa_message_id"]]
        return history if len(replies) == 3 and stack.jobs_settled() else None

    history = wait_for("three replies in one conversation", replied_to_all, seconds=20)
    received = [(m["wa_message_id"], m["content"]) for m in history if m["direction"] == "inbound"]
    assert received == [
        (first, "my name is Zé"),
        (as_lid["messageId"], "who am I?"),
        (lid_only["messageId"], "and my order?"),
    ], history
    conversations = stack.get(f"/api/v1/sessions/{SESSION}/conversations")["items"]
    assert [c["contact_jid"] for c in conversations] == [jid(contact)]
    assert {e["to"] for e in stack.outbox()} == {jid(contact)}  # answered at the phone form


def queued_message_ids(data_path: Path) -> set[str]:
    """The ``message.received`` events waiting in the bridge's durable webhook queue."""
    ids = set()
    for file in (data_path / ".webhooks" / SESSION).glob("*.json"):
        body = json.loads(json.loads(file.read_text())["body"])
        if body["eventType"] == "message.received":
            ids.add(body["data"]["messageId"])
    return ids


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_bridge_restart_loses_and_doubles_nothing(stack: Stack, sig: signal.Signals) -> None:
    started = time.monotonic()
    link_number(stack)
    sent: dict[str, tuple[str, str]] = {}  # contact -> (text, WhatsApp message id)

    def write(prefix: str, count: int) -> dict[str, str]:
        batch = {f"55119770{prefix}{n:04d}": f"{prefix}-message {n}" for n in range(count)}
        for number, text in batch.items():
            sent[number] = (text, stack.inbound(number, text))
        return batch

    # 1. Before the restart: answered by the first bridge process.
    before = write("1", 3)
    wait_for("replies before the restart", lambda: settled(stack, before))
    assert stack.server.process is not None
    stack.server.process.send_signal(signal.SIGSTOP)  # the backend is unreachable for a while
    old_outbox = stack.outbox()
    assert sorted(e["to"] for e in old_outbox) == sorted(jid(n) for n in before)

    # 2. Messages that arrive while the backend cannot take them: they wait in the bridge's
    #    queue on disk, and the bridge goes down with them still there.
    during = write("2", 4)
    exit_code = stack.bridge.stop(sig, timeout=15)
    assert exit_code == (0 if sig == signal.SIGTERM else -signal.SIGKILL), stack.bridge.logs()
    waiting = queued_message_ids(stack.bridge.data_path)
    assert {sent[n][1] for n in during} <= waiting, waiting

    # 3. Same port, same data: the simulated phone stays linked, no new scan.
    stack.bridge.start()
    assert stack.bridge.call("GET", f"/sessions/{SESSION}")["status"] == "connected"
    stack.server.process.send_signal(signal.SIGCONT)
    wait_for("replies to the queued messages", lambda: settled(stack, during), seconds=20)

    # 4. After the restart.
    after = write("3", 2)
    wait_for("replies after the restart", lambda: settled(stack, after))
    time.sleep(0.3)  # anything else on its way would have left by now

    new_outbox = stack.outbox()
    replies = replies_by_contact(old_outbox + new_outbox)
    assert sorted(replies) == sorted(jid(n) for n in sent), replies
    for number, (text, inbound_id) in sent.items():
        [reply] = replies[jid(number)]  # exactly one reply per message
        assert text in reply["message"]["text"], reply
        check_conversation(stack, number, text, inbound_id, reply)
    assert len({e["messageId"] for e in old_outbox + new_outbox}) == len(sent)
    assert stack.session()["status"] == "connected"
    assert queued_message_ids(stack.bridge.data_path) == set()
    assert not (stack.bridge.data_path / ".webhooks" / "dead-letter.jsonl").exists()
    assert time.monotonic() - started < 30


def test_creating_a_session_while_the_bridge_reports_it_answers_201(tmp_path: Path) -> None:
    """With Baileys, ``POST /sessions`` answers once WhatsApp sent a QR (a second or more),
    while the ``connecting`` status webhook leaves at once; the proxy holds the simulator's
    answer for as long, so the order is the real one every time."""
    with running_stack(tmp_path, slow_calls={("POST", "/sessions"): 1.0}) as stack:
        agent_id = create_agent(stack)
        created = stack.api.post("/api/v1/sessions", json={"id": SESSION, "agent_id": agent_id})
        assert created.status_code == 201, created.text
        assert created.json()["status"] == "qr_waiting"
        assert stack.session()["agent_id"] == agent_id
