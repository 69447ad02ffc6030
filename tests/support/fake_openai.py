"""A fake OpenAI server speaking the real Chat Completions wire format over real HTTP.

Queue what it should answer (text, tool calls, or an HTTP error) and read what it was sent.
With nothing queued it answers ``echo: <last user message>``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.support.http_server import LocalServer, Response, json_response

API_KEY = "sk-test-fake"


@dataclass
class FakeOpenAI:
    replies: list[dict[str, Any] | int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    latency: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def answer_text(self, text: str) -> None:
        self.replies.append({"role": "assistant", "content": text})

    def answer_tool_calls(self, *calls: tuple[str, str, dict[str, Any]]) -> None:
        self.replies.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": cid,
                        "type": "function",
                        "function": {"name": name, "arguments": json.dumps(args)},
                    }
                    for cid, name, args in calls
                ],
            }
        )

    def fail(self, status: int = 500, times: int = 1) -> None:
        self.replies.extend([status] * times)

    def route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        if headers.get("authorization") != f"Bearer {API_KEY}":
            return json_response(
                401, {"error": {"message": "Incorrect API key", "type": "invalid_request_error"}}
            )
        if (method, path) != ("POST", "/v1/chat/completions"):
            return json_response(
                404, {"error": {"message": f"no route {path}", "type": "invalid_request_error"}}
            )
        request = json.loads(body)
        with self._lock:
            self.requests.append(request)
            reply = self.replies.pop(0) if self.replies else None
            n = next(self._ids)
        if self.latency:
            time.sleep(self.latency)
        if isinstance(reply, int):
            kind = "rate_limit_exceeded" if reply == 429 else "server_error"
            return json_response(
                reply,
                {"error": {"message": f"injected {reply}", "type": kind}},
                {"Retry-After": "0"},
            )
        if reply is None:
            last = next(
                (m["content"] for m in reversed(request["messages"]) if m["role"] == "user"), ""
            )
            reply = {"role": "assistant", "content": f"echo: {last}"}
        prompt = sum(len(str(m.get("content") or "")) for m in request["messages"]) // 4
        return json_response(
            200,
            {
                "id": f"chatcmpl-{n}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": reply,
                        "finish_reason": "tool_calls" if reply.get("tool_calls") else "stop",
                        "logprobs": None,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": 7,
                    "total_tokens": prompt + 7,
                },
            },
        )


def serve(fake: FakeOpenAI) -> LocalServer:
    return LocalServer(fake.route)
