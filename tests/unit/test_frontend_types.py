"""The dashboard's API types (frontend/src/api/schema.ts) match the API as it is now.

They are generated from the app's OpenAPI document; after changing a route or a DTO, run
``make frontend-types`` and commit the result. Needs the frontend's npm packages (``make test``
installs them; elsewhere the test skips, or fails with ``WA_TEST_REQUIRE_DASHBOARD=1``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
GENERATOR = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"


def test_the_committed_api_types_are_current(tmp_path: Path) -> None:
    if not GENERATOR.exists():
        if os.environ.get("WA_TEST_REQUIRE_DASHBOARD"):
            pytest.fail("frontend/node_modules is missing: run `make install-frontend`")
        pytest.skip("frontend/node_modules is missing (make install-frontend)")
    document = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "openapi_schema.py")],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    assert json.loads(document)["info"]["title"] == "wa_agents"
    (tmp_path / "openapi.json").write_text(document)
    fresh = tmp_path / "schema.ts"
    subprocess.run(
        [str(GENERATOR), str(tmp_path / "openapi.json"), "-o", str(fresh)],
        capture_output=True, check=True, timeout=120, cwd=FRONTEND,
    )  # fmt: skip
    committed = (FRONTEND / "src" / "api" / "schema.ts").read_text()
    assert fresh.read_text() == committed, "stale API types: run `make frontend-types`"
