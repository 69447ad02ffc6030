"""Every value WA_EMBEDDER and WA_VECTOR_STORE accept builds a working adapter through the
container (chroma embedded and as a real server), and `wa-agents reindex` rebuilds the index
from the database, with progress on stderr."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.chroma_server import chroma_url  # noqa: F401  (session-scoped fixture)
from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from wa_agents.domain.model.knowledge import VectorItem
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.entrypoints.container import build_container, close_resources, open_resources
from wa_agents.entrypoints.settings import EMBEDDERS, VECTOR_STORES, Settings, load_settings

WA_AGENTS = Path(sys.executable).parent / "wa-agents"
CHOICES = [*itertools.product(EMBEDDERS, VECTOR_STORES), ("hashing", "chroma-server")]


@pytest.mark.parametrize(("embedder", "store"), CHOICES, ids=[f"{e}-{s}" for e, s in CHOICES])
async def test_each_choice_builds_a_working_index(
    embedder: str, store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    env = {
        "WA_DATA_DIR": str(tmp_path),
        "WA_DATABASE_URL": "memory",
        "WA_EMBEDDER": embedder,
        "WA_VECTOR_STORE": store.removesuffix("-server"),
    }
    if store == "chroma-server":
        env["WA_CHROMA_URL"] = request.getfixturevalue("chroma_url")
    with serve(FakeOpenAI()) as fake:
        if embedder == "openai":
            env |= {
                "WA_OPENAI_API_KEY": API_KEY,
                "WA_OPENAI_BASE_URL": fake.url + "/v1",
                "WA_OPENAI_EMBEDDING_MODEL": "fake-embedding",
                "WA_OPENAI_EMBEDDING_DIMENSIONS": "64",
            }
        container = build_container(load_settings(env))
        await open_resources(container)
        try:
            index = container.knowledge()
            assert type(index).__name__ == (
                "MemoryVectorIndex" if store == "memory" else "ChromaVectorIndex"
            )
            await index.clear()  # a shared server keeps what other runs left
            await index.upsert([VectorItem("a", "opening hours"), VectorItem("b", "refunds")])
            [hit] = await index.query("opening hours", 1)
            assert hit.id == "a" and hit.score > 0.9
        finally:
            await close_resources(container)
    if store == "chroma":
        assert (tmp_path / "chroma").is_dir()  # embedded, in the data dir


def test_an_openai_embedding_model_of_unknown_dimension_is_refused_at_start() -> None:
    env = {"WA_EMBEDDER": "openai", "WA_OPENAI_API_KEY": "k", "WA_OPENAI_EMBEDDING_MODEL": "x"}
    container = build_container(load_settings(env))
    with pytest.raises(Exception, match="WA_OPENAI_EMBEDDING_DIMENSIONS"):
        container.embedder()


async def _seed(settings: Settings) -> None:
    container = build_container(settings)
    await open_resources(container)
    platform = container.platform()
    try:
        agent = await platform.agents.create(name="A", model="m", system_prompt="p")
        await platform.documents.add_text(agent.id, "FAQ", "# Hours\nWe open at nine.", actor="t")
        for session in ("one", "two"):
            await platform.sessions.create(session, agent_id=agent.id)
            for n in range(3):
                await platform.inbound.accept(
                    InboundMessage(
                        session_id=session,
                        from_jid="1555",
                        content=f"hello {n}",
                        wa_message_id=f"{session}{n}",
                    )
                )
    finally:
        await close_resources(container)


async def _count(settings: Settings, **where: str) -> int:
    container = build_container(settings)
    try:
        return await container.knowledge().count(where or None)
    finally:
        await close_resources(container)


async def test_reindex_rebuilds_from_the_database_with_progress(tmp_path: Path) -> None:
    env = {"WA_DATA_DIR": str(tmp_path), "WA_EMBEDDER": "hashing", "WA_VECTOR_STORE": "chroma"}
    settings = load_settings(env)
    await _seed(settings)
    assert await _count(settings) == 0  # no worker ran: nothing indexed yet
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
    run = subprocess.run(
        [str(WA_AGENTS), "reindex"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "reindexed everything: 6 messages, 1 documents (1 chunks)"
    assert "messages: 6/6 (100%)" in run.stderr and "documents: 1/1 (100%)" in run.stderr
    assert await _count(settings) == 7
    one = subprocess.run(
        [str(WA_AGENTS), "reindex", "--session", "one"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert one.returncode == 0 and "session one: 3 messages" in one.stdout, one.stderr
    assert await _count(settings, session_id="one") == 3 and await _count(settings) == 7
    ghost = subprocess.run(
        [str(WA_AGENTS), "reindex", "--session", "ghost"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ghost.returncode == 1 and "ghost" in ghost.stderr
