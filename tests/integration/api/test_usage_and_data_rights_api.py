"""Usage sums, the rolling summary in the conversation JSON, and a contact's export and
erasure, over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.databases import BACKENDS, postgres_database
from wa_agents.domain.model.usage import Price, PriceTable
from wa_agents.entrypoints.http import create_app

ALICE = "15550000001@s.whatsapp.net"
BOB = "15550000002@s.whatsapp.net"
PRICES = PriceTable({"scripted": Price(1.0, 4.0)})


@pytest.fixture(params=BACKENDS)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    async def served(url: str) -> AsyncIterator[Api]:
        settings = api_settings(tmp_path, database_url=url, model_prices=PRICES)
        container = api_container(settings)
        with serving(create_app(container)) as base:
            harness = Api(base, container)
            yield harness
            harness.http.close()

    if request.param == "postgres":
        async with postgres_database(migrate=True) as database:
            async for harness in served(database.url):
                yield harness
    else:
        async for harness in served(f"sqlite+aiosqlite:///{tmp_path / 'rights.db'}"):
            yield harness


def say(api: Api, client: httpx.Client, who: str, text: str, total: int) -> None:
    sent = client.post("/api/v1/sandbox/sessions/shop/inbound", json={"from": who, "text": text})
    assert sent.status_code == 202, sent.text
    api.wait_for(
        client,
        f"/api/v1/sessions/shop/conversations/{who}/messages",
        lambda page: page["total"] == total and page["items"][0]["direction"] == "outbound",
    )


def open_shop(admin: httpx.Client, **agent: Any) -> dict[str, Any]:
    body = {"name": "Shop", "model": "scripted", "system_prompt": "Be brief.", **agent}
    created = admin.post("/api/v1/agents", json=body)
    assert created.status_code == 201, created.text
    session = admin.post("/api/v1/sessions", json={"id": "shop", "agent_id": created.json()["id"]})
    assert session.status_code == 201, session.text
    assert admin.post("/api/v1/sandbox/sessions/shop/scan").status_code == 200
    return dict(created.json())


def test_usage_is_summed_by_agent_session_and_day(api: Api) -> None:
    admin = api.client(api.token())
    agent = open_shop(admin, budget={"monthly_cost_usd": 5.0})
    assert agent["budget"]["monthly_cost_usd"] == 5.0 and agent["memory"] == {"summarize": True}
    say(api, admin, ALICE, "hello", 2)
    say(api, admin, ALICE, "hello again", 4)
    say(api, admin, BOB, "hi", 2)
    by_agent = admin.get("/api/v1/usage", params={"group_by": "agent"}).json()
    [row] = by_agent["rows"]
    assert (row["key"], row["label"], row["turns"]) == (agent["id"], "Shop", 3)
    total = by_agent["total"]
    assert total["turns"] == 3 and total["tokens_in"] > 0 and total["tokens_out"] > 0
    expected = (total["tokens_in"] * 1.0 + total["tokens_out"] * 4.0) / 1_000_000
    assert total["cost_usd"] == pytest.approx(expected)
    assert set(by_agent) == {"group_by", "from", "to", "rows", "total"}
    by_session = admin.get("/api/v1/usage", params={"group_by": "session"}).json()
    assert [(r["key"], r["turns"]) for r in by_session["rows"]] == [("shop", 3)]
    by_day = admin.get("/api/v1/usage", params={"group_by": "day"}).json()
    assert [r["turns"] for r in by_day["rows"]] == [3] and by_day["rows"][0]["key"] == by_day["to"][
        :10
    ]
    future = admin.get("/api/v1/usage", params={"from": "2999-01-01T00:00:00"}).json()
    assert future["total"]["turns"] == 0 and future["rows"] == []
    history = admin.get(f"/api/v1/sessions/shop/conversations/{ALICE}/messages").json()
    why = history["items"][0]["metadata"]  # the reply's audit detail
    assert why["model"] == "scripted" and len(why["prompt_version"]) == 12
    assert why["cost_usd"] > 0 and "latency_ms" in why
    bad = admin.get("/api/v1/usage", params={"group_by": "week"})
    assert bad.status_code == 400 and "group_by" in bad.json()["detail"]
    backwards = admin.get(
        "/api/v1/usage", params={"from": "2026-02-01T00:00:00", "to": "2026-01-01T00:00:00"}
    )
    assert backwards.status_code == 422 and "before" in backwards.json()["detail"]
    assert api.client(None).get("/api/v1/usage").status_code == 401


def test_a_contact_is_exported_then_erased_with_its_vectors(api: Api) -> None:
    admin = api.client(api.token())
    viewer = api.user("viewer")
    operator = api.user("operator")
    open_shop(admin)
    say(api, admin, ALICE, "my parcel number is 5521", 2)
    say(api, admin, ALICE, "please send it to Lisbon", 4)
    say(api, admin, BOB, "my parcel number is 7700", 2)
    conversations = admin.get("/api/v1/sessions/shop/conversations").json()["items"]
    assert all("summary" in c for c in conversations)
    _wait_indexed(api, admin)  # the index job runs a few seconds after the messages

    assert viewer.get(f"/api/v1/contacts/{ALICE}/export").status_code == 403
    exported = operator.get(f"/api/v1/contacts/{ALICE}/export")
    assert exported.status_code == 200, exported.text
    body = exported.json()
    [part] = body["sessions"]
    assert part["session_id"] == "shop" and ALICE in part["jids"]
    assert [m["content"] for m in part["messages"] if m["direction"] == "inbound"] == [
        "my parcel number is 5521",
        "please send it to Lisbon",
    ]
    assert len(part["messages"]) == 4 and len(part["usage"]) == 2
    assert part["conversations"][0]["mode"] == "ai" and "summary" in part["conversations"][0]
    assert "7700" not in exported.text  # Bob's data is not Alice's

    assert operator.delete(f"/api/v1/contacts/{ALICE}").status_code == 403
    erased = admin.delete(f"/api/v1/contacts/{ALICE}")
    assert erased.status_code == 200, erased.text
    counts = erased.json()
    assert counts["messages"] == 4 and counts["conversations"] == 1
    assert counts["turn_usage"] == 2 and counts["vectors"] == 4

    gone = admin.get(f"/api/v1/sessions/shop/conversations/{ALICE}/messages")
    assert gone.status_code == 404
    found = admin.get("/api/v1/search", params={"q": "parcel number"}).json()["items"]
    assert found and {h["contact_jid"] for h in found} == {BOB}
    assert admin.get(f"/api/v1/contacts/{ALICE}/export").json()["sessions"] == []
    usage = admin.get("/api/v1/usage").json()
    assert usage["total"]["turns"] == 1  # Bob's turn is left
    audit = admin.get("/api/v1/audit", params={"action": "contact.erase"}).json()["items"]
    assert audit[0]["actor"] == "root" and audit[0]["details"]["messages"] == 4
    assert "5521" not in str(audit)
    exports = admin.get("/api/v1/audit", params={"action": "contact.export"}).json()["items"]
    assert exports[-1]["actor"] == "operator-user"
    assert admin.delete(f"/api/v1/contacts/{BOB}?session_id=nope").status_code == 404
    assert admin.delete("/api/v1/contacts/not-a-jid!").status_code in (400, 422)


def _wait_indexed(api: Api, admin: httpx.Client) -> None:
    api.wait_for(
        admin,
        "/api/v1/search?q=parcel%20number&limit=50",
        lambda body: sum("parcel number" in h["content"] for h in body.get("items", [])) == 4,
        seconds=20,
    )
