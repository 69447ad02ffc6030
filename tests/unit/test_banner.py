"""The start-up banner names the database, the WhatsApp driver, the model and the URL."""

from __future__ import annotations

from pathlib import Path

from wa_agents.entrypoints.banner import banner
from wa_agents.entrypoints.settings import Settings

URL = "http://127.0.0.1:8000"


def test_the_embedded_defaults() -> None:
    text = banner(Settings(data_dir=Path("/srv/wa")), URL, dashboard=True)
    assert text.splitlines()[0] == f"wa-agents: serving on {URL}"
    assert f"open      {URL}/" in text
    assert "SQLite file /srv/wa/wa_agents.db" in text
    assert "sandbox" in text and "scripted" in text


def test_a_production_setup_hides_the_database_password() -> None:
    settings = Settings(
        database_url="postgresql+psycopg://app:s3cret@db.internal:6543/wa",
        bridge_url="http://bridge:3000",
        llm="openai",
        openai_base_url="http://llm.internal/v1",
    )
    text = banner(settings, URL, dashboard=False)
    assert "PostgreSQL db.internal:6543/wa" in text and "s3cret" not in text
    assert "bridge at http://bridge:3000" in text
    assert "OpenAI-compatible API at http://llm.internal/v1" in text
    assert "no dashboard build" in text
