"""The dashboard and the docs page as a browser gets them: deep links, caching, headers, CSP,
and every asset of ``/schema`` served by us (it must work without internet)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import api_container, api_settings, serving
from wa_agents.entrypoints.http import create_app

INDEX = '<!doctype html><div id="app"></div><script src="/assets/app-1a2b3c.js"></script>'


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    build = tmp_path / "dist"
    (build / "assets").mkdir(parents=True)
    (build / "index.html").write_text(INDEX)
    (build / "assets" / "app-1a2b3c.js").write_text("console.log('dashboard')")
    return build


@pytest.fixture
def site(tmp_path: Path, dist: Path) -> Iterator[httpx.Client]:
    app = create_app(api_container(api_settings(tmp_path)), workers=0, dashboard=dist)
    with serving(app) as url, httpx.Client(base_url=url, timeout=10) as client:
        yield client


def script_policy(response: httpx.Response) -> str:
    csp = response.headers["content-security-policy"]
    return next(part.strip() for part in csp.split(";") if part.strip().startswith("script-src"))


@pytest.mark.parametrize("path", ["/", "/inbox", "/inbox/shop/15551230000@s.whatsapp.net"])
def test_every_page_path_gets_the_app_uncached(site: httpx.Client, path: str) -> None:
    response = site.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"] == "text/html; charset=utf-8"  # once
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert script_policy(response) == "script-src 'self'"
    policy = response.headers["content-security-policy"]
    assert "img-src 'self' data: blob:" in policy  # media previews: fetched, then blob: URLs
    assert "media-src 'self' blob:" in policy


@pytest.mark.parametrize("path", ["/", "/inbox/shop"])
def test_a_head_request_gets_the_pages_headers_without_a_body(
    site: httpx.Client, path: str
) -> None:
    response = site.head(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.content == b""


def test_hashed_assets_are_cached_for_a_year(site: httpx.Client) -> None:
    response = site.get("/assets/app-1a2b3c.js")
    assert response.status_code == 200 and "dashboard" in response.text
    cache = response.headers["cache-control"]
    assert "immutable" in cache and "max-age=31536000" in cache


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/no-such-route"),
        ("GET", "/assets/missing-000000.js"),
        ("GET", "/webhooks/nothing/here"),
        ("POST", "/inbox"),
    ],
)
def test_api_paths_keep_their_json_404(site: httpx.Client, method: str, path: str) -> None:
    response = site.request(method, path)
    assert response.status_code in (404, 405)
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["status_code"] == response.status_code


def test_without_a_build_the_root_is_a_json_404(tmp_path: Path) -> None:
    app = create_app(api_container(api_settings(tmp_path)), workers=0, dashboard=tmp_path / "no")
    with serving(app) as url:
        response = httpx.get(url + "/inbox", timeout=10)
    assert response.status_code == 404 and response.json()["status_code"] == 404


def test_the_docs_page_loads_every_asset_from_our_server(site: httpx.Client) -> None:
    page = site.get("/schema")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert script_policy(page) == "script-src 'self'"
    assert "<script>" not in page.text  # nothing inline: the CSP would block it
    assert "//" not in re.sub(r"<!DOCTYPE[^>]*>", "", page.text)  # no other origin at all
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(urls) == 4, urls
    for url in urls:
        asset = site.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 100, url
    [data_url] = re.findall(r'data-url="([^"]+)"', page.text)
    assert site.get(data_url).json()["info"]["title"] == "wa_agents"
