"""Log forging: whatever a client puts in a path, a header or a body, each log record stays
one line (CR, LF, NUL, ESC and Unicode line breaks escaped), in both log formats."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from tests.support.attack_server import served

FORGED = "2026-12-02 08:00:00,000 ERROR   wa_agents.http: FORGED"
RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ +\[")


def raw_request(url: str, request: bytes) -> None:
    """Bytes httpx would refuse to send (a raw CR in the path)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        sock.recv(65536)


def attack(url: str) -> None:
    import httpx

    with httpx.Client(base_url=url, timeout=10) as http:
        http.get("/x%0A" + FORGED.replace(" ", "%20"))
        http.get("/x%0D%0A" + FORGED.replace(" ", "%20") + "%00%1b[31m%E2%80%A8tail")
        http.get("/api/v1/agents/%0A" + FORGED.replace(" ", "%20"))  # 401, logged with its path
        http.post(  # a login failure with a forged username
            "/api/v1/auth/login", json={"username": "x\n" + FORGED, "password": "y\r\x00"}
        )
    raw_request(url, b"GET /raw\r" + FORGED.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n")


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_no_client_value_writes_a_line_of_its_own(tmp_path: Path, log_format: str) -> None:
    with served(tmp_path, WA_LOG_FORMAT=log_format) as server:
        attack(server.url)
        log = server.log_bytes()
    assert b"\x00" not in log and b"\r" not in log and b"\x1b" not in log
    text = log.decode()
    assert "\u2028" not in text
    lines = text.splitlines()
    assert any("FORGED" in line for line in lines), text  # the attempts were logged, escaped
    for line in lines:
        assert not line.startswith("2026-12-02"), line
        if log_format == "json" and line.startswith("{"):
            entry = json.loads(line)
            assert "\n" not in entry["message"] or "FORGED" not in entry["message"].split("\n")[0]
    if log_format == "console":
        records = [line for line in lines if RECORD.match(line)]
        assert all(FORGED not in line.split(": ", 1)[0] for line in records)
