"""An API served for real, per test: a fresh memory store, the sandbox, one worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import Api, api_container, api_settings, serving
from wa_agents.entrypoints.http import create_app


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    container = api_container(api_settings(tmp_path))
    with serving(create_app(container)) as url:
        harness = Api(url, container)
        yield harness
        harness.http.close()


@pytest.fixture
def admin(api: Api) -> httpx.Client:
    return api.client(api.token())
