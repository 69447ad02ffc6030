"""Search quality: recall@1 and recall@5 of each embedder on a hand-written labelled set.

Run by hand:  .venv/bin/python -m benchmarks.search_quality

``benchmarks/data/search_quality.json`` holds 110 targets (60 chat messages, 50 knowledge
chunks), each with a query that paraphrases it in other words, and 190 distractors on the
same and other topics. Every text goes into one exact-cosine index (``MemoryVectorIndex``, so
the figures measure the embedder, not an approximate store); each query's target must come
back first (recall@1) or in the first five (recall@5). The word overlap between queries and
targets (Jaccard on lower-cased words) is printed too: low overlap is what makes this a test
of meaning. The OpenAI embedder runs when WA_OPENAI_API_KEY (or OPENAI_API_KEY) is set.
Target: local recall@5 >= 0.9, far above hashing.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from pathlib import Path

from wa_agents.adapters.embeddings import HashingEmbedder, OnnxMiniLMEmbedder
from wa_agents.adapters.memory import MemoryVectorIndex
from wa_agents.adapters.openai import OpenAIEmbedder
from wa_agents.domain.model.knowledge import VectorItem
from wa_agents.ports.embeddings import Embedder

DATA = Path(__file__).parent / "data" / "search_quality.json"
WORD = re.compile(r"\w+")


def load() -> tuple[list[VectorItem], list[tuple[str, str]]]:
    data = json.loads(DATA.read_text())
    items = [VectorItem(i, text, {"kind": kind}) for i, kind, text, _ in data["targets"]]
    items += [VectorItem(i, text, {"kind": kind}) for i, kind, text in data["distractors"]]
    queries = [(query, i) for i, _, _, query in data["targets"]]
    return items, queries


def overlap(a: str, b: str) -> float:
    wa, wb = set(WORD.findall(a.lower())), set(WORD.findall(b.lower()))
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


async def recall(embedder: Embedder, items: list[VectorItem], queries: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    index = MemoryVectorIndex(embedder)
    started = time.perf_counter()
    await index.upsert(items)
    indexed = time.perf_counter() - started
    at1 = at5 = 0
    for query, target in queries:
        ids = [h.id for h in await index.query(query, 5)]
        at1 += ids[:1] == [target]
        at5 += target in ids
    return at1 / len(queries), at5 / len(queries), indexed


def embedders() -> dict[str, Embedder]:
    found: dict[str, Embedder] = {"local": OnnxMiniLMEmbedder(), "hashing": HashingEmbedder()}
    key = os.environ.get("WA_OPENAI_API_KEY") or os.environ.get("OPENAI_API_KEY")
    if key:
        model = os.environ.get("WA_OPENAI_EMBEDDING_MODEL", "text-embedding-3-small")
        found["openai"] = OpenAIEmbedder(
            key, model=model, base_url=os.environ.get("WA_OPENAI_BASE_URL")
        )
    return found


async def main() -> None:
    items, queries = load()
    texts = {i.id: i.text for i in items}
    mean_overlap = sum(overlap(q, texts[t]) for q, t in queries) / len(queries)
    print(
        f"{len(items)} texts ({len(queries)} targets), {len(queries)} queries; "
        f"mean query/target word overlap {mean_overlap:.2f} (Jaccard)"
    )
    print(f"{'embedder':<10} {'recall@1':>9} {'recall@5':>9} {'index s':>8}")
    for name, embedder in embedders().items():
        at1, at5, seconds = await recall(embedder, items, queries)
        print(f"{name:<10} {at1:>9.3f} {at5:>9.3f} {seconds:>8.1f}")
    if "openai" not in embedders():
        print("openai     (skipped: no WA_OPENAI_API_KEY)")


if __name__ == "__main__":
    asyncio.run(main())
