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
        ("WA_OUTBOUND_ALLOW_CIDRS", "10.0.0.0/8, intranet", "CIDRs"),
        ("WA_TRUSTED_PROXIES", "*", "CIDRs"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_accepts(
    name: str, value: str, hint: str
) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings({name: value})
    message = str(info.value)
    assert message.startswith(f"{name}=") and hint in message and "\n" not in message


def test_outbound_allow_cidrs_are_a_list() -> None:
    settings = load_settings({"WA_OUTBOUND_ALLOW_CIDRS": "127.0.0.1/32, 10.9.0.0/16"})
    assert settings.outbound_allow_cidrs == ("127.0.0.1/32", "10.9.0.0/16")
    assert load_settings({}).outbound_allow_cidrs == ()


def test_trusted_proxies_are_none_unless_listed() -> None:
    assert load_settings({}).trusted_proxies == ()
    settings = load_settings({"WA_TRUSTED_PROXIES": "10.0.0.5, 172.16.0.0/12"})
    assert settings.trusted_proxies == ("10.0.0.5", "172.16.0.0/12")


def test_openai_without_a_key_is_refused() -> None:
    with pytest.raises(SettingsError, match="WA_OPENAI_API_KEY"):
        load_settings({"WA_LLM": "openai"})
    with pytest.raises(SettingsError, match="WA_EMBEDDER"):
        load_settings({"WA_EMBEDDER": "openai"})


def test_metrics_redis_and_governor_settings() -> None:
    settings = load_settings(
        {
            "WA_METRICS_TOKEN": "t" * 20,
            "WA_METRICS_PORT": "9102",
            "WA_REDIS_URL": "redis://cache:6379/1",
            "WA_SEND_PER_MINUTE": "10",
            "WA_SEND_FIRST_CONTACTS_PER_DAY": "50",
            "WA_SEND_WARMUP_DAYS": "14",
            "WA_WEBHOOK_RATE_LIMIT": "600",
        }
    )
    assert (settings.metrics_port, settings.shared_state) == (9102, "redis")
    assert (settings.send_per_minute, settings.send_first_contacts_per_day) == (10, 50)
    assert (settings.send_warmup_days, settings.webhook_rate_limit) == (14, 600)
    assert "t" * 20 not in repr(settings)  # a secret never reaches a log line
    assert load_settings({}).shared_state == "local"
    with pytest.raises(SettingsError, match="WA_METRICS_TOKEN"):
        load_settings({"WA_METRICS_TOKEN": "short"})
    with pytest.raises(SettingsError, match="WA_SEND_WARMUP_DAYS"):
        load_settings({"WA_SEND_WARMUP_DAYS": "400"})
