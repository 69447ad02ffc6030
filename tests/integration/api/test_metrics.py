"""``/metrics`` scraped for real: protected by WA_METRICS_TOKEN or served on WA_METRICS_PORT,
every documented name with its type and labels, values that follow a webhook to its reply."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.deploy.metric_names import BACKEND
from tests.integration.api.test_flow import make_agent
from tests.support.api import Api, api_container, api_settings, serving
from tests.support.webhooks import SECRET, signed_headers, text_message
from wa_agents.entrypoints.http import create_app

TOKEN = "metrics-token-for-tests-0123"
JID = "15551230000@s.whatsapp.net"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def metrics_port() -> int:
    return free_port()


@pytest.fixture
def served(tmp_path: Path, metrics_port: int) -> Iterator[Api]:
    settings = api_settings(
        tmp_path, metrics_token=TOKEN, metrics_port=metrics_port, webhook_secrets=(SECRET,)
    )
    container = api_container(settings)
    with serving(create_app(container)) as url:
        yield Api(url, container)


def samples(text: str) -> dict[str, float]:
    """``name{labels}`` → value, for every sample line."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            found[key] = float(value)
    return found


def test_without_a_token_the_api_port_does_not_serve_metrics(tmp_path: Path) -> None:
    container = api_container(api_settings(tmp_path))
    with serving(create_app(container, workers=0)) as url:
        response = httpx.get(url + "/metrics")
    assert response.status_code == 404 and "WA_METRICS_TOKEN" in response.json()["detail"]


def test_the_token_is_required_and_every_documented_metric_is_there(served: Api) -> None:
    assert httpx.get(served.url + "/metrics").status_code == 401
    wrong = httpx.get(served.url + "/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    response = httpx.get(served.url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", response.text, re.M))
    for name, (kind, _labels) in BACKEND.items():
        assert types.get(name) == kind, f"{name} is not exposed as a {kind}"
    assert not any(name.endswith("_created") for name in types)  # no per-series timestamps


def test_values_follow_a_webhook_to_its_reply(served: Api, metrics_port: int) -> None:
    admin = served.client(served.token())
    agent = make_agent(admin, tools=[])
    assert admin.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent["id"]}).is_success
    assert admin.post("/api/v1/sandbox/sessions/shop/scan").is_success
    body = text_message("shop", "15551230000", "hello", "WA-1")
    accepted = httpx.post(
        served.url + "/webhooks/bridge", content=body, headers=signed_headers(body, "evt-1")
    )
    assert accepted.status_code == 200, accepted.text
    served.wait_for(
        admin,
        f"/api/v1/sessions/shop/conversations/{JID}/messages",
        lambda page: page["total"] == 2 and page["items"][0]["status"] == "sent",
    )
    internal = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics")  # token set: needed too
    assert internal.status_code == 401
    text = httpx.get(
        f"http://127.0.0.1:{metrics_port}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
    ).text
    found = samples(text)
    assert found['wa_webhook_events_total{outcome="stored",type="message.received"}'] == 1
    assert found['wa_sends_total{outcome="sent"}'] == 1
    assert found["wa_reply_latency_seconds_count"] == 1
    assert found[f'wa_turns_total{{agent="{agent["id"]}"}}'] == 1
    assert found['wa_governor_decisions_total{decision="allowed"}'] == 1
    assert found['wa_sessions{status="connected"}'] == 1
    assert found['wa_number_health_score{session="shop"}'] == 100
    assert found['wa_circuit_state{name="bridge"}'] == 0
    assert found['wa_jobs_dead{kind="turn"}'] == 0
    routes = set(re.findall(r'wa_http_request_duration_seconds_count\{[^}]*route="([^"]+)"', text))
    assert "/api/v1/sessions/{session_id}/conversations/{jid}/messages" in routes
    assert not any("15551230000" in route for route in routes)  # templates, never raw paths
