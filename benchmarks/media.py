"""Media figures: memory while a 20 MB file is fetched and stored, time to a transcript.

Run by hand:  .venv/bin/python -m benchmarks.media

1. fetch: a local HTTP server streams a 20 MB "document" (generated while it is sent, like the
   bridge simulator's ``mediaSize``) from ``GET /sessions/s/media/m``; ``MediaDownloader``
   (the media job's download step: cap, sniff, stream) pulls it through
   ``BridgeHttpMediaSource`` into a ``FileSystemMediaStore``. Reported: the peak of Python
   allocations during the fetch (tracemalloc) and the growth of the process's peak RSS.
2. transcript: ``OpenAITranscriber`` posts a voice note (40 KB, and 1 MB) as streamed
   multipart to the fake OpenAI server of the tests; the median and p95 of 30 calls each.
"""

from __future__ import annotations

import asyncio
import hashlib
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.support.fake_openai import API_KEY, FakeOpenAI, serve

from wa_agents.adapters.bridge.media import BridgeHttpMediaSource
from wa_agents.adapters.media import FileSystemMediaStore
from wa_agents.adapters.memory import SystemClock
from wa_agents.adapters.openai.transcriber import OpenAITranscriber
from wa_agents.domain.model.media import MediaInfo, MediaLimits
from wa_agents.domain.model.message import Direction, Message, MessageType
from wa_agents.domain.services.media_fetch import MediaDownloader

SIZE = 20 * 1024 * 1024
PDF_HEAD = b"%PDF-1.4\n"


class _Media(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(SIZE))
        self.end_headers()
        block = bytes(i % 251 for i in range(64 * 1024))
        self.wfile.write(PDF_HEAD)
        sent = len(PDF_HEAD)
        while sent < SIZE:
            take = min(len(block), SIZE - sent)
            self.wfile.write(block[:take])
            sent += take

    def log_message(self, format: str, *args: object) -> None:
        pass


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def fetch_figures() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Media)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory() as folder:
        store = FileSystemMediaStore(Path(folder), SystemClock())
        source = BridgeHttpMediaSource(url)
        downloader = MediaDownloader(source, store, MediaLimits(document=64 * 1024 * 1024))
        message = Message(
            id="m1",
            session_id="s",
            contact_jid="1@s.whatsapp.net",
            direction=Direction.INBOUND,
            content="",
            timestamp=datetime.now(UTC),
            message_type=MessageType.DOCUMENT,
        )
        media = MediaInfo(kind="document", source_id="m", mime_type="application/pdf")
        rss_before = _rss_mib()
        tracemalloc.start()
        started = time.perf_counter()
        result = await downloader.download(message, media)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        await source.aclose()
        assert result.status == "stored" and result.size == SIZE, result
        print(
            f"fetch 20 MB: {elapsed:.2f} s, peak Python allocations {peak / 1024 / 1024:.2f} MiB, "
            f"peak RSS growth {_rss_mib() - rss_before:.1f} MiB (process peak {_rss_mib():.0f} MiB)"
        )
    server.shutdown()


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 64 * 1024):
        yield data[start : start + 64 * 1024]


async def transcript_figures() -> None:
    fake = FakeOpenAI()
    with serve(fake) as server:
        transcriber = OpenAITranscriber(API_KEY, base_url=server.url + "/v1")
        for size in (40 * 1024, 1024 * 1024):
            audio = b"OggS" + hashlib.sha256(b"x").digest() * (size // 32)
            times = []
            for _ in range(30):
                started = time.perf_counter()
                await transcriber.transcribe(
                    _chunks(audio), size=len(audio), mime_type="audio/ogg", filename="v.ogg"
                )
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            print(
                f"transcript of {len(audio) / 1024:.0f} KiB: median {statistics.median(times):.1f}"
                f" ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms (fake server, loopback)"
            )
        await transcriber.aclose()


def main() -> int:
    asyncio.run(fetch_figures())
    asyncio.run(transcript_figures())
    return 0


if __name__ == "__main__":
    sys.exit(main())
