"""A real chromadb server (``chroma run`` from the installed package) on loopback.

Started once per test session on a free port, with its data in a temporary directory;
every test uses collections of its own name, so tests never see each other's items.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import free_port, terminate

CHROMA = Path(sys.executable).parent / "chroma"


@contextmanager
def chroma_server() -> Iterator[str]:
    """Yields the server's URL; stops it (and deletes its data) afterwards."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="wa-chroma-") as data:
        log = (Path(data) / "server.log").open("wb")
        command = [str(CHROMA), "run", "--path", data, "--host", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(command, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(process, url, Path(data) / "server.log")
            yield url
        finally:
            terminate(process)
            log.close()


def _wait(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 120  # a loaded CI machine starts it slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"chroma run exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + "/api/v2/heartbeat", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    pytest.fail("chroma run did not answer within 120 s")


@pytest.fixture(scope="session")
def chroma_url() -> Iterator[str]:
    with chroma_server() as url:
        yield url
