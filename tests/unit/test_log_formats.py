"""JSON log lines, and the correlation id that follows a message from its webhook through its
turn to its send (carried in job payloads, so across processes too)."""

from __future__ import annotations

import json
import logging

from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.job import JobKind, JobStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.correlation import correlation_id
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.context import RequestIdFilter, request_id
from wa_agents.entrypoints.log_formats import JsonLines


def record(message: str, *args: object, exc: bool = False) -> logging.LogRecord:
    made = logging.LogRecord("wa_agents.test", logging.INFO, __file__, 1, message, args, None)
    RequestIdFilter().filter(made)
    return made


def test_a_json_line_has_every_field_and_stays_one_line() -> None:
    rid, cid = request_id.set("req-1"), correlation_id.set("evt-9")
    try:
        line = JsonLines().format(record("two\nlines %s", "here"))
    finally:
        request_id.reset(rid)
        correlation_id.reset(cid)
    assert "\n" not in line
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message", "request_id", "correlation_id"}
    assert entry["message"] == "two\nlines here" and entry["level"] == "info"
    assert (entry["request_id"], entry["correlation_id"]) == ("req-1", "evt-9")
    assert json.loads(JsonLines().format(record("x")))["correlation_id"] == "-"


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.lines: list[dict[str, str]] = []

    def emit(self, item: logging.LogRecord) -> None:
        self.lines.append(json.loads(JsonLines().format(item)))


async def test_the_correlation_id_follows_a_message_through_its_turn_and_send(
    platform: Platform, clock: ManualClock, gateway: MemoryMessagingGateway
) -> None:
    now = clock.now()
    await platform.sessions.create("shop")
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    async with platform.uow() as uow:
        agent = Agent(
            id="a1", name="A", model="m", system_prompt="p", created_at=now, updated_at=now
        )
        await uow.agents.add(agent)
        await uow.commit()
    await platform.sessions.configure("shop", agent_id="a1")
    token = correlation_id.set("evt-42")  # what the webhook sets
    try:
        await platform.inbound.accept(
            InboundMessage(
                session_id="shop", from_jid="15551230000", content="hi", wa_message_id="W1"
            )
        )
    finally:
        correlation_id.reset(token)
    gateway.fail_next_sends = 1  # the send fails once: the runner logs a warning
    capture = Capture()
    logging.getLogger("wa_agents").addHandler(capture)
    try:
        await platform.runner.run_until_idle()
        clock.advance(600)
        await platform.runner.run_until_idle()
    finally:
        logging.getLogger("wa_agents").removeHandler(capture)
    assert len(gateway.sent) == 1
    jobs = (await platform.queue.list(JobStatus.DONE, PageRequest())).items
    kinds = {job.kind: job.payload.get("correlation_id") for job in jobs}
    assert kinds[JobKind.TURN] == "evt-42" and kinds[JobKind.SEND] == "evt-42"
    retried = [line for line in capture.lines if "retrying" in line["message"]]
    assert retried and all(line["correlation_id"] == "evt-42" for line in retried)
    assert not any(
        line["message"] == "hi" or "You said" in line["message"] for line in capture.lines
    )
