"""Adapters under contract. Each fixture is parametrised over every adapter of its port;
later adapters (SQLite, PostgreSQL, chroma, OpenAI, bridge) join the ``params`` lists."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.support.bridge_harness import fake_bridge_harness, node_bridge_harness
from tests.support.chroma_server import chroma_url  # noqa: F401  (session-scoped fixture)
from tests.support.databases import BACKENDS, database_for
from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from tests.support.node_bridge import node_bridge  # noqa: F401  (session-scoped fixture)
from wa_agents.adapters.chroma import ChromaVectorIndex
from wa_agents.adapters.embeddings import OnnxMiniLMEmbedder
from wa_agents.adapters.memory import (
    HashingEmbedder,
    ManualClock,
    MemoryEventBus,
    MemoryJobQueue,
    MemoryMessagingGateway,
    MemoryTokenService,
    MemoryUnitOfWorkFactory,
    MemoryVectorIndex,
    Pbkdf2PasswordHasher,
    SequentialIdGenerator,
    SystemClock,
    TimeOrderedIdGenerator,
)
from wa_agents.adapters.memory.vector_index import MemoryVectorStorage
from wa_agents.adapters.openai import OpenAIChatModel, OpenAIEmbedder
from wa_agents.adapters.sandbox import SandboxMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.adapters.security import Argon2PasswordHasher, JwtTokenService
from wa_agents.adapters.sqlalchemy import SqlAlchemyJobQueue, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.model.chat import Completion
from wa_agents.domain.model.errors import LLMUnavailable
from wa_agents.ports.embeddings import Embedder, VectorIndex
from wa_agents.ports.security import PasswordHasher
from wa_agents.testing import ChatModelHarness, MessagingHarness, StorageBackend, TokenHarness


@pytest.fixture(params=["memory", *BACKENDS])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StorageBackend]:
    clock, ids = ManualClock(), SequentialIdGenerator()
    if request.param == "memory":
        factory = MemoryUnitOfWorkFactory(clock, ids)
        yield StorageBackend(factory, MemoryJobQueue(factory.db), clock)
        return
    async with database_for(request.param, tmp_path) as database:
        uow = SqlAlchemyUnitOfWorkFactory(database, clock, ids)
        yield StorageBackend(uow, SqlAlchemyJobQueue(database), clock)


@pytest.fixture(params=["memory", "sandbox", "bridge-fake", "bridge-fake-zapw", "bridge-node"])
async def messaging(request: pytest.FixtureRequest) -> AsyncIterator[MessagingHarness]:
    if request.param == "sandbox":
        yield _sandbox_harness()
        return
    if request.param.startswith("bridge-fake"):
        async with fake_bridge_harness(zapw_only=request.param.endswith("zapw")) as harness:
            yield harness
        return
    if request.param == "bridge-node":
        async with node_bridge_harness(request.getfixturevalue("node_bridge")) as harness:
            yield harness
        return
    gateway = MemoryMessagingGateway()

    async def link(session_id: str) -> None:
        gateway.connect(session_id)

    async def sent(session_id: str) -> list[tuple[str, str]]:
        return [(m.to_jid, m.text) for m in gateway.sent if m.session_id == session_id]

    yield MessagingHarness(gateway, link, sent)


def _sandbox_harness() -> MessagingHarness:
    sandbox = SandboxMessagingGateway(ManualClock())

    async def link(session_id: str) -> None:
        await sandbox.link(session_id)

    async def sent(session_id: str) -> list[tuple[str, str]]:
        return [(m.to_jid, m.text) for m in sandbox.sent if m.session_id == session_id]

    return MessagingHarness(sandbox, link, sent)


class _FailingScript(ScriptedChatModel):
    """The scripted model cannot fail on its own; this one can be told to, once."""

    fail_next = False

    async def complete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.fail_next:
            self.fail_next = False
            raise LLMUnavailable("injected failure")
        return await super().complete(*args, **kwargs)


@pytest.fixture(params=["scripted", "openai"])
async def chat(request: pytest.FixtureRequest) -> AsyncIterator[ChatModelHarness]:
    if request.param == "scripted":
        model = _FailingScript()

        async def will_answer(completion: Completion) -> None:
            model.queue(completion)

        async def will_fail() -> None:
            model.fail_next = True

        yield ChatModelHarness(model, will_answer, will_fail)
        return
    fake = FakeOpenAI()
    with serve(fake) as server:
        client = OpenAIChatModel(API_KEY, base_url=server.url + "/v1", max_retries=0, timeout=5)

        async def answer(completion: Completion) -> None:
            if completion.tool_calls:
                fake.answer_tool_calls(
                    *((c.id, c.name, c.arguments) for c in completion.tool_calls)
                )
            else:
                fake.answer_text(completion.text)

        async def fail() -> None:
            fake.fail(500)

        yield ChatModelHarness(client, answer, fail)
        await client.aclose()


_MINILM = OnnxMiniLMEmbedder()  # loaded once for the whole run


@pytest.fixture(params=["hashing", "local", "openai"])
async def embedder(request: pytest.FixtureRequest) -> AsyncIterator[Embedder]:
    if request.param == "hashing":
        yield HashingEmbedder()
        return
    if request.param == "local":
        yield _MINILM
        return
    with serve(FakeOpenAI()) as server:
        client = OpenAIEmbedder(
            API_KEY,
            model="fake-embedding",
            dimensions=64,
            base_url=server.url + "/v1",
            max_retries=0,
        )
        yield client
        await client.aclose()


@pytest.fixture(params=["memory", "chroma-embedded", "chroma-server"])
def reopen_index(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., VectorIndex]:
    """Opens an index over this test's storage; ``index`` is the first one opened."""
    storage = MemoryVectorStorage()
    url = request.getfixturevalue("chroma_url") if request.param == "chroma-server" else None
    collection = f"test-{uuid.uuid4().hex}"

    def reopen(embedder: Embedder) -> VectorIndex:
        if request.param == "memory":
            return MemoryVectorIndex(embedder, storage)
        return ChromaVectorIndex(embedder, path=tmp_path / "chroma", url=url, collection=collection)

    return reopen


@pytest.fixture
def index(reopen_index: Callable[[Embedder], VectorIndex]) -> VectorIndex:
    return reopen_index(HashingEmbedder(64))


@pytest.fixture(params=["pbkdf2", "argon2"])
def hasher(request: pytest.FixtureRequest) -> PasswordHasher:
    return Pbkdf2PasswordHasher() if request.param == "pbkdf2" else Argon2PasswordHasher()


@pytest.fixture(params=["memory", "jwt"])
def token_harness(request: pytest.FixtureRequest) -> TokenHarness:
    clock = ManualClock()
    tokens: MemoryTokenService | JwtTokenService = (
        MemoryTokenService(clock)
        if request.param == "memory"
        else JwtTokenService(b"k" * 32, clock)
    )
    return TokenHarness(tokens, lambda: clock.advance(tokens.access_ttl_seconds + 1))


@pytest.fixture(params=["memory"])
def event_bus(request: pytest.FixtureRequest) -> MemoryEventBus:
    return MemoryEventBus()


@pytest.fixture(params=["system", "manual"])
def clock(request: pytest.FixtureRequest) -> SystemClock | ManualClock:
    return SystemClock() if request.param == "system" else ManualClock()


@pytest.fixture(params=["time-ordered", "sequential"])
def ids(request: pytest.FixtureRequest) -> TimeOrderedIdGenerator | SequentialIdGenerator:
    return TimeOrderedIdGenerator() if request.param == "time-ordered" else SequentialIdGenerator()
