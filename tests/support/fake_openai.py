"""A fake OpenAI server speaking the real Chat Completions and Embeddings wire formats over
real HTTP.

Queue what it should answer (text, tool calls, or an HTTP error) and read what it was sent.
With nothing queued it answers ``echo: <last user message>``. ``POST /v1/embeddings`` answers
with deterministic vectors (the hashing embedder's, of ``dimensions`` or 64 values), as floats
or base64 as the request's ``encoding_format`` asks; queued HTTP errors apply to it too.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import struct
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser
from typing import Any

from tests.support.http_server import LocalServer, Response, json_response
from wa_agents.adapters.memory import HashingEmbedder

API_KEY = "sk-test-fake"


@dataclass
class FakeOpenAI:
    replies: list[dict[str, Any] | int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    latency: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # speech to text: what to answer per SHA-256 of the audio, what it was sent, errors to give
    transcripts: dict[str, str] = field(default_factory=dict)
    transcriptions: list[dict[str, Any]] = field(default_factory=list)
    transcription_errors: list[int] = field(default_factory=list)

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
        if (method, path) == ("POST", "/v1/embeddings"):
            return self._embeddings(json.loads(body))
        if (method, path) == ("POST", "/v1/audio/transcriptions"):
            return self._transcribe(headers, body)
        if (method, path) != ("POST", "/v1/chat/completions"):
            return json_response(
                404, {"error": {"message": f"no route {path}", "type": "invalid_request_error"}}
            )
        request = json.loads(body)
        reply, n = self._next(request)
        if isinstance(reply, int):
            return _error(reply)
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

    def _next(self, request: dict[str, Any]) -> tuple[dict[str, Any] | int | None, int]:
        with self._lock:
            self.requests.append(request)
            reply = self.replies.pop(0) if self.replies else None
            n = next(self._ids)
        if self.latency:
            time.sleep(self.latency)
        return reply, n

    def _transcribe(self, headers: dict[str, str], body: bytes) -> Response:
        parts = _multipart(headers, body)
        if "file" not in parts or "model" not in parts:
            return json_response(
                400, {"error": {"message": "file and model are required", "type": "invalid"}}
            )
        audio = parts["file"].get_payload(decode=True)
        assert isinstance(audio, bytes)
        digest = hashlib.sha256(audio).hexdigest()
        with self._lock:
            self.transcriptions.append(
                {
                    "model": str(parts["model"].get_payload()),
                    "filename": parts["file"].get_filename(),
                    "content_type": parts["file"].get_content_type(),
                    "size": len(audio),
                    "sha256": digest,
                    "content_length": int(headers.get("content-length", "0")),
                    "body_length": len(body),
                }
            )
            error = self.transcription_errors.pop(0) if self.transcription_errors else None
        if error is not None:
            return _error(error)
        return json_response(
            200, {"text": self.transcripts.get(digest, f"audio of {len(audio)} bytes")}
        )

    def _embeddings(self, request: dict[str, Any]) -> Response:
        reply, _ = self._next(request)
        if isinstance(reply, int):
            return _error(reply)
        texts = request["input"] if isinstance(request["input"], list) else [request["input"]]
        if any(not isinstance(t, str) or not t for t in texts):
            return json_response(
                400, {"error": {"message": "input must be non-empty strings", "type": "invalid"}}
            )
        embedder = HashingEmbedder(int(request.get("dimensions") or 64))
        rows = []
        for index, text in enumerate(texts):
            vector: Any = embedder.embed_one(text)
            if request.get("encoding_format") == "base64":
                vector = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
            rows.append({"object": "embedding", "index": index, "embedding": vector})
        tokens = sum(len(t.split()) for t in texts)
        return json_response(
            200,
            {
                "object": "list",
                "data": rows,
                "model": request["model"],
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )


def _multipart(headers: dict[str, str], body: bytes) -> dict[str, Message]:
    """The parts of a ``multipart/form-data`` body by field name (the stdlib's MIME parser)."""
    head = f"Content-Type: {headers.get('content-type', '')}\r\n\r\n".encode()
    parsed = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not parsed.is_multipart():
        return {}
    return {
        str(part.get_param("name", header="content-disposition")): part
        for part in parsed.iter_parts()
    }


def _error(status: int) -> Response:
    kind = "rate_limit_exceeded" if status == 429 else "server_error"
    return json_response(
        status, {"error": {"message": f"injected {status}", "type": kind}}, {"Retry-After": "0"}
    )


def serve(fake: FakeOpenAI) -> LocalServer:
    return LocalServer(fake.route)
