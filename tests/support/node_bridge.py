"""Our real Node bridge (``bridge/``) with the simulator driver, as a test fixture.

Started once per test session on a port the OS picks (``PORT=0``; the URL is read from its
``bridge listening`` log line). Built first when ``dist/`` is missing or older than ``src/``.
``reset`` deletes every session between tests. Without Node or ``npm ci`` in bridge/ the tests
that need it are skipped with the reason, unless ``WA_TEST_REQUIRE_BRIDGE=1`` (CI) makes that
an error.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import terminate

BRIDGE = Path(__file__).resolve().parents[2] / "bridge"
MAIN = BRIDGE / "dist" / "src" / "main.js"
API_KEY = "node-bridge-test-key"


@dataclass
class NodeBridge:
    url: str
    api_key: str = API_KEY

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.api_key}"}, timeout=10
        )

    def reset(self) -> None:
        with self.client() as http:
            for session in http.get("/sessions").json()["data"]:
                http.delete(f"/sessions/{session['id']}")


def _unavailable(reason: str) -> None:
    if os.environ.get("WA_TEST_REQUIRE_BRIDGE") == "1":
        pytest.fail(f"the Node bridge is required (WA_TEST_REQUIRE_BRIDGE=1): {reason}")
    pytest.skip(reason)


def _build() -> None:
    """``npm run build`` when dist is missing or stale; a lock keeps parallel runs apart."""
    lock_path = BRIDGE / "node_modules" / ".wa-agents-build.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        newest = max(p.stat().st_mtime for p in (BRIDGE / "src").rglob("*.ts"))
        if MAIN.exists() and MAIN.stat().st_mtime >= newest:
            return
        built = subprocess.run(
            ["npm", "run", "build"], cwd=BRIDGE, capture_output=True, text=True, timeout=180
        )
        if built.returncode != 0:
            pytest.fail(f"`npm run build` in bridge/ failed:\n{built.stdout}{built.stderr}")


def _wait_for_url(log: Path, proc: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if '"bridge listening"' in line:
                url: str = json.loads(line)["url"]
                return url
        if proc.poll() is not None:
            raise RuntimeError(f"the bridge exited ({proc.returncode}): {log.read_text()}")
        time.sleep(0.02)
    raise RuntimeError(f"the bridge did not start: {log.read_text()}")


@pytest.fixture(scope="session")
def node_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeBridge]:
    if shutil.which("node") is None or shutil.which("npm") is None:
        _unavailable("node/npm not on PATH")
    if not (BRIDGE / "node_modules").is_dir():
        _unavailable("bridge/node_modules missing: run `make install-bridge`")
    _build()
    tmp = tmp_path_factory.mktemp("node-bridge")
    env = {k: v for k, v in os.environ.items() if k not in ("WEBHOOK_URL", "WEBHOOK_SECRET")}
    env.update(
        BRIDGE_DRIVER="simulator",
        API_KEY=API_KEY,
        HOST="127.0.0.1",
        PORT="0",
        SESSIONS_DATA_PATH=str(tmp / "data"),
        LOG_LEVEL="info",
    )
    log = tmp / "bridge.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(["node", str(MAIN)], cwd=BRIDGE, env=env, stdout=out, stderr=out)
    try:
        yield NodeBridge(_wait_for_url(log, proc).replace("0.0.0.0", "127.0.0.1"))
    finally:
        terminate(proc)
