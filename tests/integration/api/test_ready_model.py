"""``/ready`` says when the chat model is unreachable (and stays in service: webhooks are
still stored, their turns wait for the model)."""

from __future__ import annotations

from tests.support.api import Api


def test_ready_reports_an_unreachable_model_as_degraded(api: Api) -> None:
    http = api.http
    assert http.get("/ready").json()["checks"]["llm"] == "scripted"
    breaker = api.container.breakers().model
    now = api.container.clock().now()
    for _ in range(breaker.threshold):  # what the guarded model records on each failed call
        breaker.record_failure(now)
    ready = http.get("/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "degraded"
    assert body["checks"]["llm"].startswith(
        "unreachable: scripted failed 5 times in a row (circuit open since"
    )
    breaker.record_success()
    assert http.get("/ready").json() == {
        "status": "ready",
        "checks": {"database": "ok", "llm": "scripted"},
    }
