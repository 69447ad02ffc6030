"""Search speed and memory through our adapters: query latency, indexing throughput, RSS.

Run by hand:  .venv/bin/python -m benchmarks.search [--sizes 10000 100000] [--queries 100]

* indexing: ``--base`` distinct chunks (from the labelled set, varied) embedded by the local
  MiniLM embedder and upserted into an embedded chromadb: chunks per second, end to end.
* size N: an index of N chunks. Embedding 100k chunks would take many minutes, so the base
  chunks' vectors are reused with a little noise (``VectorItem.vector``): the store holds N
  distinct vectors, which is what search cost depends on.
* query p50/p95 (ms): ``VectorIndex.query(text, 5, {"kind": "chunk"})`` with the embedder
  warm, so each query embeds its text locally and searches (embedded chromadb, and the exact
  memory index for comparison); the embedding alone is reported too.
* RSS: a fresh process that builds the platform and answers one search, with
  ``WA_VECTOR_STORE=memory`` and with ``chroma`` (chromadb loaded); both with the local embedder.

Targets: p95 <= 30 ms at 10k and <= 60 ms at 100k; indexing >= 300 chunks/s. The machine's
load average is printed with the figures: other work on the cores slows everything here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from wa_agents.adapters.chroma import ChromaVectorIndex
from wa_agents.adapters.embeddings import OnnxMiniLMEmbedder
from wa_agents.adapters.memory import MemoryVectorIndex
from wa_agents.domain.model.knowledge import VectorItem
from wa_agents.ports.embeddings import VectorIndex

DATA = Path(__file__).parent / "data" / "search_quality.json"
BATCH = 2_000


def base_texts(count: int) -> list[str]:
    data = json.loads(DATA.read_text())
    texts = [t[2] for t in data["targets"]] + [t[2] for t in data["distractors"]]
    rng = random.Random(7)
    return [f"{rng.choice(texts)} {rng.choice(texts)} (ref {n})" for n in range(count)]


def queries(count: int) -> list[str]:
    data = json.loads(DATA.read_text())
    return [t[3] for t in data["targets"]][:count]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def indexing(
    embedder: OnnxMiniLMEmbedder, texts: list[str], path: Path
) -> tuple[float, float]:
    """Chunks per wall-clock second, and per CPU second of this process (all its threads):
    the second does not depend on what else runs on the machine."""
    index = ChromaVectorIndex(embedder, path=path, collection="throughput")
    await index.upsert([VectorItem("warm", "warm up")])
    items = [VectorItem(f"c{n}", t, {"kind": "chunk"}) for n, t in enumerate(texts)]
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(items), 128):
        await index.upsert(items[start : start + 128])
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    return len(items) / wall, len(items) / used


def filled(vectors: np.ndarray, size: int) -> list[VectorItem]:
    rng = np.random.default_rng(size)
    rows = vectors[rng.integers(0, len(vectors), size)] + rng.normal(0, 0.02, (size, 384))
    return [
        VectorItem(f"c{n}", f"chunk {n}", {"kind": "chunk", "agent_id": "a"}, tuple(row))
        for n, row in enumerate(rows.astype(np.float32).tolist())
    ]


async def latencies(index: VectorIndex, probes: list[str]) -> tuple[list[float], float]:
    """Each query's wall-clock ms, and the mean CPU ms of this process per query."""
    await index.query(probes[0], 5, {"kind": "chunk"})
    times, cpu = [], time.process_time()
    for text in probes:
        started = time.perf_counter()
        await index.query(text, 5, {"kind": "chunk"})
        times.append((time.perf_counter() - started) * 1000)
    return times, (time.process_time() - cpu) * 1000 / len(probes)


async def sized(
    size: int, vectors: np.ndarray, embedder: OnnxMiniLMEmbedder, probes: list[str], tmp: Path
) -> None:
    items = filled(vectors, size)
    chroma = ChromaVectorIndex(embedder, path=tmp / f"size{size}", collection=f"size-{size}")
    memory = MemoryVectorIndex(embedder)
    started = time.perf_counter()
    for start in range(0, size, BATCH):
        await chroma.upsert(items[start : start + BATCH])
    loaded = time.perf_counter() - started
    await memory.upsert(items)
    for name, index in (("chroma", chroma), ("memory", memory)):
        times, cpu = await latencies(index, probes)
        p50, p95 = pct(times, 50), pct(times, 95)
        print(
            f"  {size:>7} {name:<7} query p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  cpu {cpu:5.1f} ms"
        )
    print(f"  {size:>7} chroma  filled with precomputed vectors at {size / loaded:,.0f} chunks/s")


def rss_of(store: str) -> str:
    code = (
        "import asyncio, os;"
        "from wa_agents.entrypoints.settings import load_settings;"
        "from wa_agents.entrypoints.container import build_container;"
        "from benchmarks.search import rss_mb;"
        "c = build_container(load_settings(dict(os.environ)));"
        "i = c.knowledge();"
        "asyncio.run(i.query('opening hours', 3));"
        "print(f'{rss_mb():.0f}')"
    )
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "WA_VECTOR_STORE": store,
            "WA_DATA_DIR": data,
            "WA_DATABASE_URL": "memory",
        }
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return out.stdout.strip()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--base", type=int, default=500, help="chunks embedded for real")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    embedder = OnnxMiniLMEmbedder()
    texts, probes = base_texts(args.base), queries(args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        rate, per_cpu = await indexing(embedder, texts, Path(tmp) / "throughput")
        print(
            f"indexing (MiniLM embed + chroma upsert) over {len(texts)} chunks: {rate:,.0f}/s "
            f"wall clock, {per_cpu:,.0f} per CPU second"
        )
        times = []
        for text in probes:
            started = time.perf_counter()
            await embedder.embed([text])
            times.append((time.perf_counter() - started) * 1000)
        print(f"query embedding alone: p50 {pct(times, 50):.1f} ms  p95 {pct(times, 95):.1f} ms")
        vectors = np.asarray(await embedder.embed(texts), dtype=np.float32)
        for size in args.sizes:
            await sized(size, vectors, embedder, probes, Path(tmp))
    print(f"RSS after one search: memory index {rss_of('memory')} MB, chroma {rss_of('chroma')} MB")


if __name__ == "__main__":
    asyncio.run(main())
