"""A model outage never kills a message.

The real OpenAI adapter talks over real HTTP to the fake OpenAI server, which answers 503 for
a simulated minute (or the base URL is unreachable), while contacts keep writing. The manual
clock stands in for the minute, so the test is fast; the breaker, the job queue and the
runner are the real ones. Every message is answered exactly once when the model is back, no
job dies, and waiting uses no attempt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from tests.support.http_server import LocalServer, Response, json_response
from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.adapters.openai import OpenAIChatModel
from wa_agents.domain.model.job import JobKind, JobStatus
from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.model.message import Direction, MessageStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.logs import LogFilter

CONTACTS = [f"1555000{n}@s.whatsapp.net" for n in range(3)]
OUTAGE_SECONDS = 60


class Switchable:
    """The fake OpenAI server, answering 503 while ``down``."""

    def __init__(self) -> None:
        self.fake, self.down, self.refused = FakeOpenAI(), True, 0

    def route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        if self.down:
            self.refused += 1
            return json_response(503, {"error": {"message": "overloaded", "type": "server_error"}})
        return self.fake.route(method, path, headers, body)


@pytest.fixture
def server() -> Iterator[tuple[Switchable, str]]:
    switchable = Switchable()
    with LocalServer(switchable.route) as running:
        yield switchable, running.url + "/v1"


async def _link(platform: Platform, gateway: MemoryMessagingGateway) -> None:
    agent = await platform.agents.create(name="A", model="gpt-test", system_prompt="Be brief.")
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.sessions.refresh("shop")


async def _outage(platform: Platform, clock: ManualClock) -> list[str]:
    """Contacts write every 5 s for a minute while the runner keeps going; returns the ids
    of the inbound messages. While it lasts no turn job has used an attempt."""
    sent: list[str] = []
    for second in range(0, OUTAGE_SECONDS, 5):
        jid = CONTACTS[(second // 5) % len(CONTACTS)]
        result = await platform.inbound.accept(
            InboundMessage(
                session_id="shop",
                from_jid=jid,
                content=f"hi at {second}s",
                wa_message_id=f"W{second}",
            )
        )
        sent.append(result.message.id)
        await platform.runner.run_until_idle()
        clock.advance(5)
    waiting = await platform.queue.list(JobStatus.PENDING, PageRequest(limit=200))
    turns = [j for j in waiting.items if j.kind == JobKind.TURN]
    assert len(turns) == len(CONTACTS)  # a burst waiting for the model is one turn per contact
    assert all(j.attempts == 0 for j in turns)
    assert (await platform.queue.counts())[JobStatus.DEAD] == 0
    return sent


async def _recovered(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock, sent: list[str]
) -> None:
    for _ in range(5):  # the next half-open trial succeeds and the waiting turns run
        clock.advance(30)
        await platform.runner.run_until_idle()
    assert (await platform.queue.counts())[JobStatus.DEAD] == 0
    async with platform.uow() as uow:
        answered: Counter[str] = Counter()
        for jid in CONTACTS:
            for m in await uow.messages.recent("shop", jid, limit=100):
                if m.direction == Direction.OUTBOUND:
                    answered.update(m.metadata["in_reply_to"])
                    assert m.status == MessageStatus.SENT
                else:
                    assert m.status == MessageStatus.PROCESSED
    assert answered == Counter(sent)  # every message answered, and exactly once
    assert len(gateway.sent) == len(CONTACTS)  # one reply per contact's burst, none doubled
    async with platform.uow() as uow:
        logs = await uow.logs.query(LogFilter(source="llm"), PageRequest())
    levels = sorted((e.level, e.message.split(":")[0]) for e in logs.items)
    assert levels == [
        (LogLevel.ERROR, "the chat model is unreachable"),
        (LogLevel.INFO, "the chat model answers again"),
    ]


async def test_a_minute_of_503s_then_every_message_is_answered_once(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    server: tuple[Switchable, str],
) -> None:
    switchable, url = server
    model = OpenAIChatModel(API_KEY, base_url=url, max_retries=0, timeout=5)
    platform.guarded_model.inner = model
    await _link(platform, gateway)
    sent = await _outage(platform, clock)
    # 5 failures open the circuit; then one trial per 30 s cool-down, never one per message
    assert switchable.refused <= 5 + OUTAGE_SECONDS // 30 + 1
    switchable.down = False
    await _recovered(platform, gateway, clock, sent)
    await model.aclose()


async def test_an_unreachable_base_url_then_the_model_comes_back(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    unreachable = OpenAIChatModel(
        API_KEY, base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=2
    )
    platform.guarded_model.inner = unreachable
    await _link(platform, gateway)
    sent = await _outage(platform, clock)
    with serve(FakeOpenAI()) as running:
        working = OpenAIChatModel(API_KEY, base_url=running.url + "/v1", max_retries=0)
        platform.guarded_model.inner = working  # the operator fixed the URL / the host is up
        await _recovered(platform, gateway, clock, sent)
        await working.aclose()
    await unreachable.aclose()


async def test_a_refused_request_is_no_outage_and_its_turn_dies_in_the_log(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    fake = FakeOpenAI()
    fake.fail(400, times=10)  # the server is up, but refuses this request every time
    with serve(fake) as running:
        model = OpenAIChatModel(API_KEY, base_url=running.url + "/v1", max_retries=0)
        platform.guarded_model.inner = model
        await _link(platform, gateway)
        await platform.inbound.accept(
            InboundMessage(session_id="shop", from_jid=CONTACTS[0], content="hi", wa_message_id="X")
        )
        for _ in range(8):
            await platform.runner.run_until_idle()
            clock.advance(600)
        await model.aclose()
    assert platform.breakers.model.opened_at is None  # the model answered: no outage
    assert (await platform.queue.counts())[JobStatus.DEAD] == 1
    async with platform.uow() as uow:
        logs = await uow.logs.query(LogFilter(source="pipeline"), PageRequest())
    [dead] = logs.items
    assert dead.level == LogLevel.ERROR and "turn is dead" in dead.message
    assert dead.session_id == "shop" and "LLMRejected" in dead.details["error"]
