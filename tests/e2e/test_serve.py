"""``wa-agents serve`` as a user starts it: log in, make an agent, link a sandbox number,
send a message as a WhatsApp user and read the scripted reply in the conversation."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

WA_AGENTS = Path(sys.executable).parent / "wa-agents"
JID = "15551230000@s.whatsapp.net"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "wa-agents serve exited"
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("wa-agents serve did not come up")


def test_the_whole_flow_against_wa_agents_serve(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
    env.update(WA_DATA_DIR=str(tmp_path / "var"), WA_DEBOUNCE_MS="0")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [str(WA_AGENTS), "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_up(url, proc)
        log.seek(0)
        printed = log.read()
        found = re.search(r"username 'admin', password '([^']+)'", printed)
        assert found, printed
        assert f"serving on {url}" in printed
        assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600

        http = httpx.Client(base_url=url, timeout=10)
        tokens = http.post(
            "/api/v1/auth/login", json={"username": "admin", "password": found.group(1)}
        ).json()
        http.headers["Authorization"] = f"Bearer {tokens['access_token']}"
        agent = http.post(
            "/api/v1/agents", json={"name": "Shop", "model": "scripted", "system_prompt": "Hi"}
        ).json()
        session = http.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent["id"]})
        assert session.status_code == 201 and session.json()["qr_code"].startswith("data:image")
        assert http.post("/api/v1/sandbox/sessions/shop/scan").json()["status"] == "connected"
        sent = http.post(
            "/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": "do you deliver?"}
        )
        assert sent.status_code == 202

        deadline = time.monotonic() + 30
        while True:
            page = http.get(f"/api/v1/sessions/shop/conversations/{JID}/messages").json()
            if page["total"] == 2 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        reply = page["items"][0]
        assert (reply["direction"], reply["content"]) == (
            "outbound",
            "(scripted demo reply) You said: do you deliver?",
        )
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        log.close()
    assert "Traceback" not in (tmp_path / "serve.log").read_text()
