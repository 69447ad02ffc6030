"""The dashboard in a real browser (Debian chromium driven by Playwright) against a real
``wa-agents serve`` (sandbox WhatsApp, scripted model).

An operator's first hour: sign in, create an agent, link a number and see its QR, scan it,
write as a WhatsApp user, watch the reply arrive in the inbox without reloading, take over,
answer as an operator, hand back. Then a viewer finds no control that writes. The same run
saves a screenshot of every page, at desktop and phone widths, to ``docs/screenshots/``.

Needs ``frontend/dist`` (``make frontend``) and ``/usr/bin/chromium`` (``make chromium``):
without them the test skips, or fails under ``WA_TEST_REQUIRE_DASHBOARD=1`` (``make test``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    FilePayload,
    Page,
    expect,
    sync_playwright,
)

from tests.support.server_process import ServerProcess
from wa_agents.adapters.sandbox.gateway import sandbox_pairing_code

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "frontend" / "dist" / "index.html"
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "docs" / "screenshots"
ADMIN, PASSWORD = "admin", "a-long-e2e-passphrase"
VIEWER = "watcher"
JID = "15551230000@s.whatsapp.net"
RETURNS = "# Returns\n\nYou can send back any purchase within 30 days for a full refund.\n"
HOURS_DOC = "# Opening hours\n\nThe shop opens Monday to Friday 9 to 18 and Saturday 9 to 13.\n"
ORDER_SCHEMA = (
    '{"type": "object", "properties": {"order_id": {"type": "string", "maxLength": 40}},'
    ' "required": ["order_id"], "additionalProperties": false}'
)
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
OTHER_PAGES = [("Overview", "overview"), ("Jobs", "jobs"), ("Logs", "logs")]
OTHER_PAGES += [("Audit", "audit"), ("Users", "users")]
PHONE_PAGES = [
    ("Inbox", "inbox-list"),
    ("Numbers", "numbers"),
    ("Agents", "agents"),
    ("Search", "search"),
    ("Approvals", "approvals"),
    *OTHER_PAGES[1:],
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

PROBLEMS: dict[int, list[str]] = {}  # per page: console errors and CSP refusals (none allowed)


def _needs(ok: bool, what: str) -> None:
    if not ok:
        if os.environ.get("WA_TEST_REQUIRE_DASHBOARD"):
            pytest.fail(f"{what} is missing")
        pytest.skip(f"{what} is missing")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    _needs(DIST.is_file(), "frontend/dist (make frontend)")
    _needs(CHROMIUM.exists(), "/usr/bin/chromium (make chromium)")
    folder = tmp_path_factory.mktemp("dashboard")
    env = {
        "WA_DATA_DIR": str(folder / "var"),
        "WA_ADMIN_USERNAME": ADMIN,
        "WA_ADMIN_PASSWORD": PASSWORD,
        "WA_DEBOUNCE_MS": "0",
        "WA_SEND_MIN_INTERVAL_MS": "0",
        "WA_WORKERS": "2",
        "WA_EMBEDDER": "hashing",  # instant; what the index holds is not what this test is about
        "WA_VECTOR_STORE": "memory",
    }
    process = ServerProcess(env, folder / "serve.log")
    process.start(timeout=180)  # a loaded CI machine can take its time
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def browser(server: ServerProcess) -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def api(server: ServerProcess) -> httpx.Client:
    client = httpx.Client(base_url=server.url + "/api/v1", timeout=10)
    login = client.post("/auth/login", json={"username": ADMIN, "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    return client


def page_for(browser: Browser, server: ServerProcess, viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport, base_url=server.url)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = PROBLEMS.setdefault(id(page), [])

    def console(m: ConsoleMessage) -> None:
        if m.type == "error":
            problems.append(f"{m.text} ({m.location.get('url', '')})")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # argon2 on a busy shared machine can take seconds
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=20_000)


def shoot(page: Page, name: str, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # let transitions settle
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"))


def calm(page: Page) -> None:
    """Close the notices in the corner, so a screenshot shows the page under them."""
    page.evaluate("document.querySelectorAll('.toast .link').forEach(b => b.click())")


def top(page: Page, selector: str) -> None:
    """Scroll an element to the top of the window, below the phone's sticky bar."""
    page.locator(selector).first.evaluate("e => { e.scrollIntoView(); window.scrollBy(0, -64) }")


def nav(page: Page, label: str) -> None:
    """Client-side navigation, the way a user clicks (no page reload)."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation").get_by_role("link", name=label).click()


def agent_settings(page: Page, admin: httpx.Client, agent_id: str) -> None:
    """On the agent's page: knowledge as text, business hours (a refusal first), an HTTP tool
    with a secret header and its approval switch; each checked through the API."""
    docs = page.locator(".docs")
    # knowledge as pasted text, indexed like a file
    page.get_by_label("pasted text").check()
    page.get_by_label("Title", exact=True).fill("Opening hours")
    page.get_by_label("Text or Markdown").fill(HOURS_DOC)
    page.get_by_role("button", name="Add text").click()
    expect(page.get_by_text("“Opening hours” added: indexing…")).to_be_visible()
    opening = docs.locator(".doc").filter(has_text="Opening hours")
    expect(opening.get_by_text("indexed", exact=True)).to_be_visible(timeout=30_000)
    stored = admin.get(f"/agents/{agent_id}/documents").json()["items"]
    assert {d["title"]: d["source"] for d in stored}["Opening hours"] == "text", stored

    # business hours: the API's refusal shows in the section, then a good schedule is saved
    page.locator("summary", has_text="Business hours").click()
    hours = page.locator(".section-hours")
    hours.get_by_label("Always open (no business hours)").uncheck()
    hours.get_by_label("Time zone (IANA name, e.g. America/Sao_Paulo)").fill("Mars/Olympus")
    page.get_by_role("button", name="Save").click()
    expect(hours.get_by_role("alert")).to_contain_text("unknown time zone 'Mars/Olympus'")
    refused = PROBLEMS[id(page)]  # the browser logs that 422; nothing else may be there
    refused[:] = [p for p in refused if "422" not in p]
    hours.get_by_label("Time zone (IANA name, e.g. America/Sao_Paulo)").fill("America/Sao_Paulo")
    hours.get_by_role("button", name="Add hours on Saturday").click()
    hours.get_by_label("Saturday 1: closes").fill("13:00")
    hours.get_by_label("the agent answers anyway").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved", exact=True)).to_be_visible()
    expect(hours.get_by_role("alert")).to_have_count(0)
    saved = admin.get(f"/agents/{agent_id}").json()["hours"]
    assert saved["time_zone"] == "America/Sao_Paulo", saved
    assert saved["weekly"]["mon"] == [["09:00", "18:00"]], saved
    assert saved["weekly"]["sat"] == [["09:00", "13:00"]], saved
    assert "sun" not in saved["weekly"] and saved["outside"] == "answer", saved
    calm(page)
    top(page, ".section-hours")
    shoot(page, "agent-settings", "desktop")

    # an HTTP tool whose header takes a secret by its variable name, then needing approval
    http_tools = page.locator(".http-tools")
    http_tools.get_by_role("button", name="New HTTP tool").click()
    http_tools.get_by_label("Name", exact=True).fill("order_status")
    http_tools.get_by_label("Description (the model reads it)").fill("The status of an order")
    http_tools.get_by_label("URL template").fill("https://crm.example.com/orders/{order_id}")
    http_tools.get_by_label("Parameters (a JSON schema of type object)").fill(ORDER_SCHEMA)
    http_tools.get_by_role("button", name="Add a header").click()
    http_tools.get_by_label("Header 1", exact=True).fill("Authorization")
    http_tools.get_by_label("Header 1: variable name").fill("CRM")
    http_tools.get_by_role("button", name="Create").click()
    listed = http_tools.locator("[data-tool=order_status]")
    expect(listed).to_contain_text("Secrets from: WA_TOOL_SECRET_CRM")
    offered = page.locator(".agent-tools [data-tool=order_status]")
    offered.get_by_label("order_status needs an operator’s approval").check()
    expect(page.get_by_text("order_status: needs approval from now on")).to_be_visible()
    (tool,) = admin.get(f"/agents/{agent_id}/http-tools").json()["items"]
    assert tool["headers"] == {"Authorization": "Bearer ${WA_TOOL_SECRET_CRM}"}, tool
    assert tool["secrets"] == ["WA_TOOL_SECRET_CRM"] and tool["method"] == "GET", tool
    assert tool["parameters"]["required"] == ["order_id"], tool
    offered_now = admin.get(f"/agents/{agent_id}/tools").json()["items"]
    flags = {t["name"]: t["requires_approval"] for t in offered_now}
    assert flags["order_status"] is True, flags
    calm(page)
    top(page, ".agent-tools")
    shoot(page, "agent-tools", "desktop")


def test_an_operators_first_hour_then_a_viewer(browser: Browser, server: ServerProcess) -> None:
    page = page_for(browser, server, DESKTOP)
    page.goto("/login")
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    PROBLEMS[id(page)].clear()  # the browser logs that 401; every later one would be a bug
    shoot(page, "login", "desktop")
    sign_in(page, ADMIN, PASSWORD)

    # an agent
    nav(page, "Agents")
    page.get_by_role("link", name="New agent").click()
    page.get_by_label("Name", exact=True).fill("Shop helper")
    page.get_by_label("Model", exact=True).fill("scripted")
    page.get_by_label("System prompt").fill("You help customers of a small shop. Be brief.")
    expect(page.get_by_text("45 / 20000 characters")).to_be_visible()
    page.get_by_label("Current time").check()
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(re.compile(r"/agents/(?!new$)[^/]+$"))
    agent_id = page.url.rsplit("/", 1)[1]

    # a knowledge document: uploaded with its progress, indexed by a job, shown live
    returns: FilePayload = {
        "name": "returns.md",
        "mimeType": "text/markdown",
        "buffer": RETURNS.encode(),
    }
    page.get_by_label("File", exact=True).set_input_files(files=[returns])
    page.get_by_label("Title (default: the file name)").fill("Returns policy")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“Returns policy” uploaded: indexing…")).to_be_visible()
    docs = page.locator(".docs")
    expect(docs.get_by_text("Returns policy", exact=True)).to_be_visible()
    expect(docs.get_by_text("indexed", exact=True)).to_be_visible(timeout=30_000)  # polled
    shoot(page, "agents", "desktop")
    admin = api(server)

    agent_settings(page, admin, agent_id)

    # a number: the QR as an image, then the sandbox scan
    page.evaluate("window.__sameDocument = true")
    nav(page, "Numbers")
    page.get_by_label("Name (letters, digits, - and _)").fill("shop")
    page.locator("#new-agent").select_option(agent_id)
    page.get_by_role("button", name="Create and show QR").click()
    qr = page.get_by_role("img", name="QR code to link shop")
    expect(qr).to_be_visible()
    assert (qr.get_attribute("src") or "").startswith("data:image/png;base64,")
    assert qr.evaluate("img => img.naturalWidth") > 50  # a real picture, decoded
    page.get_by_role("button", name="Link with a phone number instead").click()
    page.get_by_label("Phone number to link").fill("+55 11 98888-7777")
    page.get_by_role("button", name="Get pairing code").click()
    code = sandbox_pairing_code("shop", "5511988887777")  # the sandbox's fixed stand-in
    expect(page.locator(".pair-code")).to_have_text(f"{code[:4]}-{code[4:]}")
    shoot(page, "numbers-qr", "desktop")
    page.get_by_role("button", name="Scan (sandbox)").click()
    card = page.locator("[data-session=shop]")
    expect(card.get_by_text("connected", exact=True)).to_be_visible()  # live, from the event
    card.get_by_label("Message", exact=True).fill("do you deliver?")
    card.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent: the reply appears in the inbox.")).to_be_visible()
    shoot(page, "numbers", "desktop")

    # the number's sending: its governor's report, and a limit of its own, kept by the API
    limits = card.locator(".limits")
    expect(limits.get_by_text("100 / 100")).to_be_visible()  # healthy
    limits.locator("summary", has_text="Change the limits of this number").click()
    limits.get_by_label("Sends a minute").fill("30")
    limits.get_by_label("Random extra pause (% of the pause)").fill("20")
    limits.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved", exact=True)).to_be_visible()
    governor = admin.get("/sessions/shop/governor").json()
    assert governor["overrides"]["per_minute"] == 30, governor
    assert governor["policy"]["jitter"] == pytest.approx(0.2), governor
    expect(limits.get_by_text("at least 0 ms, plus up to 20% at random")).to_be_visible()
    calm(page)
    top(page, "[data-session=shop] .limits")
    shoot(page, "numbers-limits", "desktop")

    # the inbox: the reply is there, the next one arrives live
    nav(page, "Inbox")
    page.get_by_role("link", name=re.compile(r"\+15551230000")).click()
    thread = page.locator(".messages")
    expect(thread.get_by_text("(scripted demo reply) You said: do you deliver?")).to_be_visible()
    sent = admin.post(
        "/sandbox/sessions/shop/inbound", json={"from": JID, "text": "and on Sundays?"}
    )
    assert sent.status_code == 202
    expect(thread.get_by_text("and on Sundays?", exact=True)).to_be_visible()
    expect(thread.get_by_text("(scripted demo reply) You said: and on Sundays?")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # no reload
    thread.get_by_role("button", name="Why this answer").last.click()
    expect(thread.get_by_text("Tool calls", exact=True)).to_be_visible()

    # take over, answer as an operator, hand back
    page.get_by_role("button", name="Take over").click()
    expect(page.get_by_role("button", name="Hand back to AI")).to_be_visible()
    page.get_by_label("Write a message").fill("Hi, Ana from the shop here: yes, on Sundays too.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(thread.get_by_text("Operator admin")).to_be_visible()
    expect(thread.locator(".tick-sent, .tick-delivered, .tick-read").last).to_be_visible()
    shoot(page, "inbox", "desktop")
    page.get_by_role("button", name="Hand back to AI").click()
    expect(page.get_by_role("button", name="Take over")).to_be_visible()
    history = admin.get(f"/sessions/shop/conversations/{JID}/messages").json()["items"]
    assert history[0]["metadata"] == {"handoff": "ai"}  # the user is told the agent is back
    assert history[1]["metadata"] == {"operator": ADMIN}

    # search every conversation by meaning; a hit opens the thread at its message (once the
    # conversation's index job, due a few seconds after a message, has run)
    for _ in range(60):
        found = admin.get("/search", params={"q": "Sunday deliveries"}).json()["items"]
        if any(h["content"] == "and on Sundays?" for h in found):
            break
        page.wait_for_timeout(500)
    nav(page, "Search")
    page.get_by_label("Words or a question").fill("Sunday deliveries")
    page.get_by_role("button", name="Search", exact=True).click()
    hits = page.locator("a.hit")
    expect(hits.filter(has_text="and on Sundays?").first).to_be_visible(timeout=30_000)
    shoot(page, "search", "desktop")
    hits.filter(has_text="and on Sundays?").first.click()
    expect(page).to_have_url(re.compile(r"/inbox/shop/.+\?message="))
    marked = page.locator(".bubble-row.highlight")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("and on Sundays?")
    expect(marked).to_be_in_viewport()

    # an answer from the uploaded document: "Why this answer" names the passage it cited
    tools = ["current_time", "search_knowledge"]
    assert admin.patch(f"/agents/{agent_id}", json={"tools": tools}).status_code == 200
    question = "can I send back a purchase within 30 days for a full refund?"
    sent = admin.post("/sandbox/sessions/shop/inbound", json={"from": JID, "text": question})
    assert sent.status_code == 202
    answer = thread.locator(".bubble-row.out").filter(has_text="Here is what I found")
    expect(answer).to_be_visible()
    answer.get_by_role("button", name="Why this answer").click()
    expect(answer.locator(".citations")).to_contain_text("«Returns policy»")
    expect(answer.get_by_text("search_knowledge", exact=False).first).to_be_visible()
    answer.locator(".why-details").scroll_into_view_if_needed()
    shoot(page, "inbox-why", "desktop")

    # approvals and usage, from their real routes (a 404 would be a console error above)
    nav(page, "Approvals")
    expect(page.locator(".state[role=status]")).to_have_count(0)
    expect(page.get_by_text("not available on this server yet")).to_have_count(0)
    shoot(page, "approvals", "desktop")
    nav(page, "Overview")
    usage = page.locator(".usage")
    expect(usage.locator("tbody tr").filter(has_text="Shop helper")).to_be_visible()
    expect(usage).not_to_contain_text("not available on this server yet")

    # every other page
    for label, name in OTHER_PAGES:
        nav(page, label)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator(".state[role=status]")).to_have_count(0)  # loaded
        shoot(page, name, "desktop")

    # the language switch, remembered
    page.get_by_label("Language").select_option("pt-BR")
    expect(page.get_by_role("heading", name="Usuários")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Usuários")).to_be_visible()
    shoot(page, "users-pt-BR", "desktop")
    page.get_by_label("Idioma").select_option("en")

    # the API docs page works offline: every asset is ours, Swagger UI renders
    page.goto("/schema")
    expect(page.get_by_role("heading", name=re.compile("wa_agents"))).to_be_visible()
    assert PROBLEMS[id(page)] == []

    # phone width: every page, and the inbox one column at a time
    phone = page_for(browser, server, PHONE)
    sign_in(phone, ADMIN, PASSWORD)
    shoot(phone, "overview", "phone")
    for label, name in PHONE_PAGES:
        nav(phone, label)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        expect(phone.locator(".state[role=status]")).to_have_count(0)
        shoot(phone, name, "phone")
    nav(phone, "Inbox")
    phone.get_by_role("link", name=re.compile(r"\+15551230000")).click()
    expect(phone.get_by_role("button", name="Conversations")).to_be_visible()
    shoot(phone, "inbox", "phone")
    phone.goto(f"/agents/{agent_id}")
    phone.locator("summary", has_text="Business hours").click()
    phone_hours = phone.locator(".section-hours")
    expect(phone_hours.get_by_label("Saturday 1: closes")).to_have_value("13:00")  # as saved
    top(phone, ".section-hours")
    shoot(phone, "agent-settings", "phone")
    phone.goto("/login")

    # a viewer reads everything and can change nothing
    created = admin.post(
        "/users",
        json={"username": VIEWER, "email": "w@example.com", "password": PASSWORD, "role": "viewer"},
    )
    assert created.status_code == 201, created.text
    viewer = page_for(browser, server, DESKTOP)
    sign_in(viewer, VIEWER, PASSWORD)
    expect(viewer.get_by_role("link", name="Users")).to_have_count(0)
    nav(viewer, "Numbers")
    expect(viewer.locator("[data-session=shop]")).to_be_visible()
    expect(
        viewer.get_by_role("button", name=re.compile("Delete|Reconnect|Log out|Create|Save|Resume"))
    ).to_have_count(0)
    expect(viewer.locator("#agent-shop")).to_be_disabled()
    expect(viewer.locator("[data-session=shop] .limits")).to_contain_text("Sent in the last hour")
    expect(viewer.locator(".section-limits")).to_have_count(0)  # the limits are not a form
    nav(viewer, "Agents")
    viewer.get_by_role("link", name=re.compile("Shop helper")).click()
    expect(viewer.get_by_text("Read only: your role cannot change this.")).to_be_visible()
    expect(viewer.get_by_label("Name", exact=True)).to_be_disabled()
    expect(viewer.get_by_role("button", name=re.compile("Save|Delete|Start"))).to_have_count(0)
    expect(viewer.locator(".http-tools [data-tool=order_status]")).to_be_visible()
    expect(viewer.locator(".agent-tools")).to_contain_text("needs approval")
    writes = re.compile("New HTTP tool|New MCP server|Edit|Add|Upload|Fetch")
    expect(viewer.get_by_role("button", name=writes)).to_have_count(0)
    expect(viewer.locator(".agent-tools input, .knowledge form")).to_have_count(0)
    viewer.locator("summary", has_text="Business hours").click()
    expect(viewer.get_by_label("Time zone (IANA name, e.g. America/Sao_Paulo)")).to_be_disabled()
    expect(viewer.get_by_role("link", name="New agent")).to_have_count(0)
    nav(viewer, "Inbox")
    viewer.get_by_role("link", name=re.compile(r"\+15551230000")).click()
    expect(viewer.locator(".messages").get_by_text("Operator admin")).to_be_visible()
    expect(
        viewer.get_by_role("button", name=re.compile("Take over|Pause|Hand back"))
    ).to_have_count(0)
    expect(viewer.get_by_label("Write a message")).to_have_count(0)
    viewer.goto("/users")  # the guard sends a viewer home
    expect(viewer.get_by_role("heading", name="Overview")).to_be_visible()
    for checked in (page, phone, viewer):
        assert PROBLEMS[id(checked)] == [], PROBLEMS[id(checked)]
