"""Deeply nested JSON (~1000 levels, past the interpreter's stack) on every JSON route and
both webhooks: a 400 with the error body, one log line per request, never a traceback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.attack_server import Served, served
from tests.support.webhooks import SECRET, TOKEN, signed_headers

DEEP = "[" * 1000 + "]" * 1000
LOGIN = ('{"username":"a","password":"b","z":' + DEEP + "}").encode()
ENVELOPE = ('{"sessionId":"s","eventType":"message.received","data":' + DEEP + "}").encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp: Path = tmp_path_factory.mktemp("nested")
    with served(tmp, WA_WEBHOOK_SECRET=SECRET, WA_WEBHOOK_TOKEN=TOKEN) as running:
        yield running


def json_operations(server: Served) -> list[tuple[str, str]]:
    """(method, path) of every documented operation that takes a JSON body."""
    schema = server.http.get("/schema/openapi.json").json()
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            # the webhooks authenticate before they read: the test above signs for them
            if "application/json" in content and not path.startswith("/webhooks/"):
                concrete = re.sub(r"\{[^}]+\}", "x", path)
                found.append((method.upper(), concrete))
    return found


def assert_refused(answer_status: int, body: dict[str, object]) -> None:
    assert answer_status == 400, body
    assert body == {"status_code": 400, "detail": "the request body is nested too deeply"}


def test_unauthenticated_login_and_both_webhooks(server: Served) -> None:
    before = len(server.log().splitlines())
    login = server.http.post(
        "/api/v1/auth/login", content=LOGIN, headers={"Content-Type": "application/json"}
    )
    assert_refused(login.status_code, login.json())
    by_token = server.http.post(f"/webhooks/bridge/{TOKEN}", content=ENVELOPE)
    assert_refused(by_token.status_code, by_token.json())
    signed = server.http.post(
        "/webhooks/bridge", content=ENVELOPE, headers=signed_headers(ENVELOPE, "msg_deep")
    )
    assert_refused(signed.status_code, signed.json())
    lines = server.log().splitlines()[before:]
    assert "Traceback" not in "\n".join(lines)
    # per request: the warning and the access line, nothing else
    assert len([line for line in lines if "nested too deeply" in line]) == 3, lines
    assert len(lines) <= 7, lines  # + at most the webhook's own line


def test_every_json_route(server: Served) -> None:
    admin = server.admin()
    operations = json_operations(server)
    assert len(operations) >= 10  # the schema lists them; an empty list would prove nothing
    for method, path in operations:
        answer = admin.request(
            method, path, content=LOGIN, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 400, (method, path, answer.status_code, answer.text)
    assert "Traceback" not in server.log()
