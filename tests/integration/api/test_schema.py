"""Schemathesis against /schema over real HTTP: every documented route, generated inputs
(valid and invalid), every check; no 5xx, no response outside the schema. Deterministic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.api import Api, api_container, api_settings, serving
from wa_agents.entrypoints.http import create_app

ST = Path(sys.executable).parent / "st"
CONFIG = """
# A valid-looking password can still be too common, a JID can still be no JID: the domain's
# own rules answer 422, which the schema documents but cannot express as constraints.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
"""
EXAMPLES = 100  # per operation; the whole run stays around two minutes on two cores


@pytest.mark.slow
def test_the_api_keeps_its_schema(tmp_path: Path) -> None:
    (tmp_path / "schemathesis.toml").write_text(CONFIG)
    container = api_container(api_settings(tmp_path))
    with serving(create_app(container)) as url:
        token = Api(url, container).token()
        result = subprocess.run(
            [
                str(ST),
                "run",
                f"{url}/schema/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
                # Two checks we knowingly skip (docs/security.md): Litestar coerces lax input
                # (``until=0.5`` as a timestamp, ``0`` as false) instead of refusing it, and its
                # automatic OPTIONS answer lists only some of a path's methods in ``Allow``.
                "--exclude-checks",
                "negative_data_rejection,allow_header_conformance",
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                "20260101",
                "--generation-deterministic",
                "--workers",
                "1",
                "--continue-on-failure",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=tmp_path,
        )
    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-2_000:]
