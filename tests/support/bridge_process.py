"""Our Node bridge (``bridge/``, simulator driver) as a subprocess a test can stop and restart.

Unlike the session-wide ``node_bridge`` fixture, each ``BridgeProcess`` has its own data path
and webhook target, and keeps its port across restarts (the first start lets the OS pick it),
so a test can SIGTERM or SIGKILL it and bring it back where the backend expects it. Every start
writes its own log file (``bridge-<n>.log``) next to the data path.
"""

from __future__ import annotations

import base64
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.http_server import LocalServer, Response
from tests.support.node_bridge import BRIDGE, MAIN, _build, _unavailable, _wait_for_url

API_KEY = "bridge-e2e-key"


def new_webhook_secret() -> str:
    """A fresh Standard Webhooks secret: ``whsec_`` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


def require_bridge() -> None:
    """Skips (or fails, with ``WA_TEST_REQUIRE_BRIDGE=1``) without Node; builds dist/ if stale."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        _unavailable("node/npm not on PATH")
    if not (BRIDGE / "node_modules").is_dir():
        _unavailable("bridge/node_modules missing: run `make install-bridge`")
    _build()


class BridgeProcess:
    def __init__(
        self,
        tmp: Path,
        *,
        webhook_url: str,
        webhook_secret: str,
        api_key: str = API_KEY,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.dir = tmp
        self.data_path = tmp / "bridge-data"
        self.api_key = api_key
        self.port = 0
        self.url = ""
        self.starts = 0
        self.process: subprocess.Popen[bytes] | None = None
        drop = ("WEBHOOK_URL", "WEBHOOK_SECRET", "API_KEY", "BRIDGE_DRIVER", "PORT", "HOST")
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        self.env.update(
            BRIDGE_DRIVER="simulator",
            API_KEY=api_key,
            HOST="127.0.0.1",
            WEBHOOK_URL=webhook_url,
            WEBHOOK_SECRET=webhook_secret,
            SESSIONS_DATA_PATH=str(self.data_path),
            LOG_LEVEL="info",
            **(extra_env or {}),
        )

    @property
    def log(self) -> Path:
        return self.dir / f"bridge-{self.starts}.log"

    def start(self) -> str:
        """Starts the bridge (on the port of the first start) and returns its base URL."""
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                ["node", str(MAIN)],
                cwd=BRIDGE,
                env={**self.env, "PORT": str(self.port)},
                stdout=out,
                stderr=out,
            )
        url = _wait_for_url(self.log, self.process).replace("0.0.0.0", "127.0.0.1")
        self.port = int(url.rsplit(":", 1)[1].rstrip("/"))
        self.url = f"http://127.0.0.1:{self.port}"
        return self.url

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 15) -> int:
        """Sends ``sig`` and waits for the exit; returns the exit code (SIGKILL after timeout)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode

    def close(self) -> None:
        """Cleanup for ``finally``: whatever state the process is in, it is gone afterwards."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.api_key}"}, timeout=10
        )

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One bridge call that must succeed; returns ``data`` of the success envelope."""
        with self.client() as http:
            response = http.request(method, path, **kwargs)
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()["data"] if response.content else None

    def logs(self) -> str:
        return "\n".join(
            f"--- bridge-{n}.log\n" + (self.dir / f"bridge-{n}.log").read_text(errors="replace")
            for n in range(1, self.starts + 1)
            if (self.dir / f"bridge-{n}.log").exists()
        )


def slow_proxy(target: str, delays: dict[tuple[str, str], float]) -> LocalServer:
    """A real HTTP proxy to ``target`` that holds the answers to some calls for a while.

    ``delays`` maps ``(method, path)`` to seconds: the call reaches the bridge at once, only its
    answer comes late, as ``POST /sessions`` does with Baileys while WhatsApp sends the QR.
    Use it as a context manager; its ``url`` replaces the bridge's.
    """
    hop_by_hop = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}

    def route(method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        forwarded = {k: v for k, v in headers.items() if k not in hop_by_hop}
        answer = httpx.request(method, target + path, headers=forwarded, content=body, timeout=60)
        time.sleep(delays.get((method, path.split("?")[0]), 0))
        out = {k: v for k, v in answer.headers.items() if k.lower() not in hop_by_hop}
        out.pop("content-encoding", None)  # httpx already decoded the body
        return answer.status_code, out, answer.content

    return LocalServer(route)
