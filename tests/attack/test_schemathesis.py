"""Schemathesis against /schema over real HTTP: every documented route, generated inputs
(valid and invalid), every check but one (below); no 5xx, no response outside the schema, the
right ``Allow`` for OPTIONS. Deterministic: a fixed seed, bounded examples."""

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
# own rules answer 422, which the schema documents but cannot express as constraints. An
# uploaded file's type is known only once it is read: an unreadable one is a 415.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "415", "422", "429"]
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
                # max_response_time stays on, at 30 s rather than 10 s: on a shared two-core
                # CI machine a cold handler can take more than 10 s; speed is measured by
                # benchmarks/, not here
                "--max-response-time",
                "30",
                # The one check still off, and why (docs/security.md, "Known limits"): Litestar
                # converts JSON bodies leniently (``0`` as false) and a multipart field is
                # text whatever the schema's type. Query timestamps are strict (a 400).
                # allow_header_conformance is on: request_context fixes OPTIONS' Allow.
                "--exclude-checks",
                "negative_data_rejection",
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                "20260101",
                "--generation-deterministic",
                "--workers",
                "1",
                "--continue-on-failure",
                # it ends the run's own token, and every later call would be a bare 401
                "--exclude-path",
                "/api/v1/auth/logout-everywhere",
            ],
            capture_output=True,
            text=True,
            timeout=1500,  # 3-4 minutes alone; far more while the machine is shared
            check=False,
            cwd=tmp_path,
        )
    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-2_000:]
