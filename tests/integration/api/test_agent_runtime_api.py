"""An agent's handoff policy, business hours and commands over real HTTP (SQLite behind)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.api.test_flow import make_agent

HOURS = {
    "time_zone": "America/Sao_Paulo",
    "weekly": {"mon": [["09:00", "12:00"], ["13:00", "18:00"]], "sat": [["09:00", "13:00"]]},
    "holidays": ["2026-12-25"],
    "outside": "handoff",
    "message": "Fechado agora; respondemos às 9h.",
}
HANDOFF = {
    "message": "Um atendente vai responder.",
    "resume_message": "Voltei!",
    "resume_word": "/robo",
    "timeout_minutes": 45,
}


def test_the_settings_are_created_read_changed_and_cleared(admin: httpx.Client) -> None:
    default = make_agent(admin)
    assert default["hours"] is None and default["handoff"]["resume_word"] == "/bot"
    assert default["handoff"]["timeout_minutes"] is None
    assert "help" in default["commands"] and "human" in default["commands"]
    agent = make_agent(admin, name="Loja", hours=HOURS, handoff=HANDOFF, commands=["human", "help"])
    again = admin.get(f"/api/v1/agents/{agent['id']}").json()
    assert (again["hours"], again["handoff"], again["commands"]) == (
        HOURS,
        HANDOFF,
        ["help", "human"],
    )
    patched = admin.patch(
        f"/api/v1/agents/{agent['id']}", json={"handoff": {**HANDOFF, "timeout_minutes": None}}
    ).json()
    assert patched["handoff"]["timeout_minutes"] is None and patched["hours"] == HOURS  # kept
    cleared = admin.patch(f"/api/v1/agents/{agent['id']}", json={"hours": None}).json()
    assert cleared["hours"] is None and cleared["commands"] == ["help", "human"]


def test_the_debounce_is_set_kept_and_given_back_to_the_server_default(
    admin: httpx.Client,
) -> None:
    assert make_agent(admin)["debounce_ms"] is None  # WA_DEBOUNCE_MS
    agent = make_agent(admin, name="Quick", debounce_ms=500)
    url = f"/api/v1/agents/{agent['id']}"
    assert admin.get(url).json()["debounce_ms"] == 500
    assert admin.patch(url, json={"name": "Quick 2"}).json()["debounce_ms"] == 500  # kept
    assert admin.patch(url, json={"debounce_ms": 0}).json()["debounce_ms"] == 0  # no waiting
    assert admin.patch(url, json={"debounce_ms": None}).json()["debounce_ms"] is None


def test_the_reply_to_unreadable_media_is_set_kept_and_changed(admin: httpx.Client) -> None:
    default = make_agent(admin)
    assert default["unsupported_media_reply"] == "Sorry, I can only read text messages for now."
    agent = make_agent(admin, name="Texto", unsupported_media_reply="Só leio texto, por favor.")
    url = f"/api/v1/agents/{agent['id']}"
    assert admin.get(url).json()["unsupported_media_reply"] == "Só leio texto, por favor."
    kept = admin.patch(url, json={"name": "Texto 2"}).json()
    assert kept["unsupported_media_reply"] == "Só leio texto, por favor."
    changed = admin.patch(url, json={"unsupported_media_reply": "Type it, please."}).json()
    assert changed["unsupported_media_reply"] == "Type it, please."
    listed = admin.get("/api/v1/agents").json()["items"]
    replies = {a["name"]: a["unsupported_media_reply"] for a in listed}
    assert replies["Texto 2"] == "Type it, please."


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"hours": {**HOURS, "time_zone": "Mars/Olympus"}}, "unknown time zone"),
        ({"hours": {**HOURS, "weekly": {"funday": []}}}, "unknown days"),
        ({"hours": {**HOURS, "weekly": {"mon": [["18:00", "09:00"]]}}}, "start before it ends"),
        ({"hours": {**HOURS, "weekly": {"mon": [["25:00", "26:00"]]}}}, "HH:MM"),
        ({"hours": {**HOURS, "holidays": ["2026-02-30"]}}, "hours"),
        ({"hours": {**HOURS, "outside": "sometimes"}}, "outside"),
        ({"handoff": {**HANDOFF, "timeout_minutes": 0}}, "timeout_minutes"),
        ({"handoff": {**HANDOFF, "resume_word": "come back"}}, "resume_word"),
        ({"commands": ["help", "launch"]}, "commands"),
        ({"debounce_ms": -1}, "debounce_ms"),
        ({"debounce_ms": 60_001}, "debounce_ms"),
        ({"unsupported_media_reply": ""}, "unsupported_media_reply"),
        ({"unsupported_media_reply": "x" * 2_001}, "unsupported_media_reply"),
    ],
)
def test_bad_settings_are_4xx_with_a_clear_detail(
    admin: httpx.Client, body: dict[str, Any], complaint: str
) -> None:
    agent = make_agent(admin)
    for response in (
        admin.post("/api/v1/agents", json={"name": "X", "model": "m", "system_prompt": "", **body}),
        admin.patch(f"/api/v1/agents/{agent['id']}", json=body),
    ):
        assert response.status_code in (400, 422), response.text
        assert complaint in response.json()["detail"]
        assert "Traceback" not in response.text
