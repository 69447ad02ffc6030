from __future__ import annotations

from pathlib import Path

import pytest

from wa_agents.entrypoints.settings import SettingsError, load_settings

SECRET_A = "whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
SECRET_B = "whsec_" + "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJC"


def test_defaults_need_no_environment() -> None:
    settings = load_settings({})
    assert settings.data_dir == Path("./var")
    assert (settings.llm, settings.messaging, settings.debounce_ms) == ("scripted", "sandbox", 2000)


def test_an_openai_key_selects_openai_and_plain_names_are_fallbacks() -> None:
    settings = load_settings({"OPENAI_API_KEY": "sk-1", "OPENAI_BASE_URL": "http://llm.local/v1/"})
    assert (settings.llm, settings.openai_api_key, settings.openai_base_url) == (
        "openai",
        "sk-1",
        "http://llm.local/v1",
    )
    assert load_settings({"OPENAI_API_KEY": "sk-1", "WA_LLM": "scripted"}).llm == "scripted"
    assert "sk-1" not in repr(settings)


def test_lists_and_numbers_are_parsed() -> None:
    settings = load_settings(
        {
            "WA_CORS_ORIGINS": "http://a.example, http://b.example,",
            "WA_WEBHOOK_SECRET": f"{SECRET_A},{SECRET_B}",
            "WA_SEND_MIN_INTERVAL_MS": "0",
            "WA_BRIDGE_URL": "http://127.0.0.1:3000",
        }
    )
    assert settings.cors_origins == ("http://a.example", "http://b.example")
    assert settings.webhook_secrets == (SECRET_A, SECRET_B)
    assert settings.send_min_interval_ms == 0 and settings.messaging == "bridge"


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        ("WA_LLM", "claude", "openai, scripted"),
        ("WA_DEBOUNCE_MS", "fast", "whole number"),
        ("WA_DEBOUNCE_MS", "-1", "whole number"),
        ("WA_WORKERS", "0", "from 1 to 256"),
        ("WA_BRIDGE_URL", "localhost:3000", "http://"),
        ("WA_DATABASE_URL", "mysql://x", "postgresql+psycopg"),
        ("WA_SECRET_KEY", "short", "32 bytes"),
        ("WA_WEBHOOK_SECRET", "plain", "whsec_"),
        ("WA_WEBHOOK_SECRET", "whsec_not base64!", "base64"),
        ("WA_WEBHOOK_SECRET", "whsec_c2hvcnQ=", "base64"),
        ("WA_LOG_FORMAT", "xml", "json, console"),
        ("WA_REDIS_URL", "http://x", "redis://"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_accepts(
    name: str, value: str, hint: str
) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({name: value})
    message = str(info.value)
    assert message.startswith(f"{name}=") and hint in message and "\n" not in message


def test_openai_without_a_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="WA_OPENAI_API_KEY"):
        load_settings({"WA_LLM": "openai"})
    with pytest.raises(SettingsError, match="WA_EMBEDDER"):
        load_settings({"WA_EMBEDDER": "openai"})
