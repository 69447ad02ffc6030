"""The pipeline benchmark's child processes: the fake bridge, the fake model, a bare app.

    python -m benchmarks.fakes bridge            fake bridge (tests.support.fake_bridge) plus
                                                 /_bench/scan/<id> and /_bench/stats
    python -m benchmarks.fakes model --latency S fake OpenAI (tests.support.fake_openai) that
                                                 sleeps S seconds per completion
    python -m benchmarks.fakes hello --port P    a bare Litestar "hello JSON" app on uvicorn

The two fakes print their URL on the first line of stdout. Every mode exits when its stdin
closes, so a child never outlives the benchmark that started it (even one killed with -9).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
import time
from typing import Any

from tests.support.fake_bridge import FakeBridge
from tests.support.fake_bridge import serve as serve_bridge
from tests.support.fake_openai import FakeOpenAI
from tests.support.http_server import LocalServer, Response, json_response


class BenchBridge(FakeBridge):
    """Records when each WhatsApp message went out; the phone is played over HTTP."""

    send_times: list[float]

    def route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        if path.startswith("/_bench/scan/"):
            self.scan(path.rsplit("/", 1)[1])
            return json_response(200, {"status": "connected"})
        if path == "/_bench/stats":
            with self._lock:
                times = list(self.send_times)
            return json_response(200, {"sends": len(times), "last": times[-1] if times else None})
        self.requests.clear()  # the benchmark sends tens of thousands: keep no history
        return super().route(method, path, headers, body)

    def _send(
        self, session_id: str, connected: bool, request: dict[str, Any], key: str | None
    ) -> Response:
        before = len(self.sends)
        response = super()._send(session_id, connected, request, key)
        if len(self.sends) > before:
            self.send_times.append(time.time())
        return response


def _no_nagle(server: LocalServer) -> LocalServer:
    """TCP_NODELAY on every connection: ``http.server`` writes the head and the body in two
    sends, and with Nagle's algorithm against the client's delayed ACK each answer on a
    keep-alive connection would wait ~40 ms for nothing."""
    server._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
    return server


def _until_stdin_closes() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        while sys.stdin.buffer.read(4096):
            pass


def run_bridge() -> None:
    bridge = BenchBridge()
    bridge.send_times = []
    with _no_nagle(serve_bridge(bridge)) as server:
        print(server.url, flush=True)
        _until_stdin_closes()


def run_model(latency: float) -> None:
    model = FakeOpenAI(latency=latency)
    original = model.route

    def route(method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        response = original(method, path, headers, body)
        model.requests.clear()  # keep no history
        return response

    with _no_nagle(LocalServer(route)) as server:
        print(server.url, flush=True)
        _until_stdin_closes()


def run_hello(port: int) -> None:
    """A bare Litestar app on uvicorn, configured as ``wa-agents serve`` configures its own."""
    import uvicorn
    from litestar import Litestar, get

    @get("/", sync_to_thread=False)
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    app = Litestar(route_handlers=[hello], logging_config=None, openapi_config=None)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, server_header=False, access_log=False
    )
    server = uvicorn.Server(config)
    threading.Thread(
        target=lambda: (_until_stdin_closes(), setattr(server, "should_exit", True)), daemon=True
    ).start()
    server.run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["bridge", "model", "hello"])
    parser.add_argument("--latency", type=float, default=0.0, help="model: seconds per answer")
    parser.add_argument("--port", type=int, default=0, help="hello: the port to listen on")
    args = parser.parse_args()
    if args.mode == "bridge":
        run_bridge()
    elif args.mode == "model":
        run_model(args.latency)
    else:
        run_hello(args.port)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
