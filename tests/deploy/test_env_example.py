"""``.env.example`` documents every variable the backend and the bridge read, and no secret."""

from __future__ import annotations

import re

from tests.deploy.tools import REPO

EXAMPLE = (REPO / ".env.example").read_text()
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|API_KEY|TOKEN)")


def backend_settings() -> set[str]:
    """Every ``"WA_*"`` name in the package (the settings loader is where they are read)."""
    files = (REPO / "src" / "wa_agents").rglob("*.py")
    return {name for f in files for name in re.findall(r"\"(WA_[A-Z0-9_]+)\"", f.read_text())}


def bridge_settings() -> set[str]:
    """Every variable ``bridge/src/config.ts`` reads: ``env.NAME`` or ``int(env, 'NAME', …)``."""
    text = (REPO / "bridge" / "src" / "config.ts").read_text()
    pairs = re.findall(r"\benv\.([A-Z][A-Z0-9_]+)|\(env, '([A-Z][A-Z0-9_]+)'", text)
    return {name for pair in pairs for name in pair if name}


def documented_settings() -> set[str]:
    return set(re.findall(r"`(WA_[A-Z0-9_]+)`", (REPO / "docs" / "configuration.md").read_text()))


def missing(names: set[str], example: str) -> list[str]:
    return sorted(n for n in names if not re.search(rf"^#?\s*{n}=", example, re.MULTILINE))


def test_the_readers_are_found() -> None:
    assert {"WA_DATABASE_URL", "WA_SECRET_KEY", "WA_REDIS_URL"} <= backend_settings()
    assert {"API_KEY", "WEBHOOK_URL", "SESSIONS_DATA_PATH", "PORT"} <= bridge_settings()


def test_every_backend_setting_is_in_the_example() -> None:
    assert missing(backend_settings() | documented_settings(), EXAMPLE) == []


def test_every_bridge_setting_is_in_the_example() -> None:
    assert missing(bridge_settings(), EXAMPLE) == []


def test_a_setting_left_out_is_noticed() -> None:
    assert missing({"WA_NOT_DOCUMENTED", "WA_REDIS_URL"}, EXAMPLE) == ["WA_NOT_DOCUMENTED"]


def test_the_example_holds_no_secret_value() -> None:
    assigned = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", EXAMPLE, re.MULTILINE))
    assert {"POSTGRES_PASSWORD", "WA_SECRET_KEY", "WA_BRIDGE_API_KEY", "WA_WEBHOOK_SECRET"} <= set(
        assigned
    )
    assert {k: v for k, v in assigned.items() if SECRET_NAME.search(k) and v} == {}
