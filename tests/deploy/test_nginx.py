"""nginx in front of the backend: a config nginx accepts, and what it does with real requests.

nginx runs for real on a free loopback port, in front of a small local backend. The harness
does what the image's entrypoint does (substitutes ``${BACKEND_UPSTREAM}``) and points the
listen address, the web root and the snippets' include paths at temporary places.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from tests.deploy.tools import REPO, nginx
from tests.support.server_process import free_port

NGINX_DIR = REPO / "deploy" / "nginx"
APP_JS = "console.log('wa_agents dashboard');\n" * 200


class Backend(BaseHTTPRequestHandler):
    """Echoes what it was sent; ``/api/v1/events`` streams two events, the second only once
    the client has the first (or after a timeout, which is what buffering would cause)."""

    first_seen: ClassVar[threading.Event] = threading.Event()
    waited: ClassVar[list[bool]] = []

    def do_GET(self) -> None:
        if self.path.startswith(("/api/v1/events", "/api/v1/stream")):
            self._stream()
            return
        body = json.dumps({"path": self.path, "headers": dict(self.headers.items())}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"data: first\n\n")
        self.wfile.flush()
        Backend.waited.append(Backend.first_seen.wait(timeout=5))
        self.wfile.write(b"data: second\n\n")
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


def site(backend: str, port: int, root: Path) -> str:
    text = (NGINX_DIR / "templates" / "default.conf.template").read_text()
    return (
        text.replace("${BACKEND_UPSTREAM}", backend)
        .replace("listen 8080;", f"listen 127.0.0.1:{port};")
        .replace("root /usr/share/nginx/html;", f"root {root};")
        .replace("/etc/nginx/snippets/", f"{NGINX_DIR / 'snippets'}/")
    )


def main_conf(folder: Path, site_text: str) -> Path:
    (folder / "site.conf").write_text(site_text)
    temps = " ".join(
        f"{kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = folder / "nginx.conf"
    conf.write_text(
        f"daemon off; master_process off; pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\nevents {{}}\n"
        "http { types { text/html html; application/javascript js; text/css css; }\n"
        f"default_type application/octet-stream; {temps}\ninclude {folder / 'site.conf'}; }}\n"
    )
    return conf


def check(conf: Path) -> subprocess.CompletedProcess[str]:
    command = [str(nginx()), "-t", "-c", str(conf)]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def test_nginx_accepts_the_config_and_refuses_a_broken_one(tmp_path: Path) -> None:
    good = check(main_conf(tmp_path, site("127.0.0.1:9", free_port(), tmp_path)))
    assert good.returncode == 0, good.stderr
    broken = site("127.0.0.1:9", free_port(), tmp_path).replace(
        "proxy_buffering off;", "proxy_buffering off"
    )
    bad = check(main_conf(tmp_path, broken))
    assert bad.returncode != 0 and "emerg" in bad.stderr


class Proxy:
    def __init__(self, url: str, log: Path) -> None:
        self.url, self.log = url, log

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    folder = tmp_path_factory.mktemp("nginx")
    root = folder / "html"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>wa_agents</title>")
    (root / "assets" / "app-3f2a1b.js").write_text(APP_JS)
    backend = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    port = free_port()
    conf = main_conf(folder, site(f"127.0.0.1:{backend.server_address[1]}", port, root))
    log = folder / "access.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(nginx()), "-c", str(conf)], stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/nginx-health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        yield Proxy(f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        process.wait(timeout=10)
        backend.shutdown()


def test_deep_links_get_the_app_with_the_security_headers(proxy: Proxy) -> None:
    answer = proxy.get("/sessions/shop/conversations")
    assert answer.status_code == 200 and "<title>wa_agents</title>" in answer.text
    assert answer.headers["cache-control"] == "no-cache"
    assert "script-src 'self';" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_hashed_assets_are_compressed_and_cached_for_long(proxy: Proxy) -> None:
    answer = proxy.get("/assets/app-3f2a1b.js", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.text == APP_JS
    assert answer.headers["content-encoding"] == "gzip"
    assert "immutable" in answer.headers["cache-control"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert proxy.get("/assets/missing.js").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/agents?limit=5", "/webhooks/bridge", "/schema", "/health", "/ready"]
)
def test_the_api_webhooks_docs_and_health_reach_the_backend(proxy: Proxy, path: str) -> None:
    answer = proxy.get(path)
    assert answer.status_code == 200
    seen = answer.json()
    assert seen["path"] == path
    assert len(seen["headers"]["X-Request-ID"]) == 32
    assert seen["headers"]["X-Forwarded-For"] == "127.0.0.1"


def test_nginx_answers_its_own_health_without_the_backend(proxy: Proxy) -> None:
    answer = proxy.get("/nginx-health")
    assert (answer.status_code, answer.text) == (200, "ok\n")


def stream(proxy: Proxy, path: str) -> list[str]:
    Backend.first_seen.clear()
    events = []
    with httpx.stream("GET", proxy.url + path, timeout=20) as answer:
        for line in answer.iter_lines():
            if line.startswith("data:"):
                events.append(line)
                Backend.first_seen.set()
    return events


def test_events_stream_through_unbuffered_and_the_token_stays_out_of_the_log(
    proxy: Proxy,
) -> None:
    Backend.waited.clear()
    assert stream(proxy, "/api/v1/events?ticket=s3cret") == ["data: first", "data: second"]
    assert Backend.waited == [True], "nginx held the first event back"
    time.sleep(0.2)
    log = proxy.log.read_text()
    assert 'GET /api/v1/events" 200' in log and "s3cret" not in log


def test_a_buffered_location_would_hold_events_back(proxy: Proxy) -> None:
    """The contrast that shows the check above can fail: /api/ keeps nginx's buffering."""
    Backend.waited.clear()
    assert stream(proxy, "/api/v1/stream") == ["data: first", "data: second"]
    assert Backend.waited == [False]


def test_the_zapw_path_token_is_masked_in_the_log(proxy: Proxy) -> None:
    assert httpx.post(proxy.url + "/webhooks/bridge/tok-123456", timeout=10).status_code == 200
    time.sleep(0.2)
    log = proxy.log.read_text()
    assert 'POST /webhooks/bridge/***" 200' in log and "tok-123456" not in log
