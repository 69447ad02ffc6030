"""One HTTP call to the bridge, with its API key and time limit; failures become domain errors.

Answers the caller cannot fix (unreachable, time-outs, 429, 5xx, a refused API key) raise
``BridgeUnavailable`` here; our bridge's restriction answers (429 ``rate-limited``, 403
``restricted``/``banned``) raise ``NumberRestricted`` (one number is limited, the bridge is
fine); the other 4xx answers are returned for the gateway to interpret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from wa_agents.adapters.bridge.wire import decode, error_text
from wa_agents.domain.model.errors import BridgeUnavailable, NumberRestricted

RESTRICTIONS = {429: ("rate-limited",), 403: ("restricted", "banned")}


class BridgeHttp:
    def __init__(
        self, base_url: str, api_key: str | None, *, timeout: float, slow_timeout: float
    ) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout
        self._slow_timeout = slow_timeout
        self._client = httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=timeout)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        slow: bool = False,
    ) -> httpx.Response:
        """``slow`` calls (creating, reconnecting) may wait for WhatsApp and get more time."""
        limit = self._slow_timeout if slow else self._timeout
        where = f"{method} {self.base_url}{path}"
        try:
            response = await self._client.request(
                method, path, json=body, headers=headers, timeout=limit
            )
        except httpx.TimeoutException as exc:
            raise BridgeUnavailable(f"bridge did not answer {where} within {limit:g}s") from exc
        except httpx.HTTPError as exc:
            raise BridgeUnavailable(f"bridge unreachable ({where}): {exc!r}") from exc
        status = response.status_code
        restriction = _restriction(response)
        if restriction is not None:
            raise restriction
        if status in (401, 403):
            raise BridgeUnavailable(
                f"the bridge refused our API key (HTTP {status} on {where}): "
                "check WA_BRIDGE_API_KEY (it must equal the bridge's API_KEY)"
            )
        if status == 429 or status >= 500:
            raise BridgeUnavailable(
                f"bridge failed {where}: HTTP {status} {error_text(response.content)}"
            )
        return response

    async def healthy(self) -> bool:
        try:
            response = await self._client.get("/health", timeout=min(self._timeout, 5.0))
        except httpx.HTTPError:
            return False
        return response.status_code == 200


def _restriction(response: httpx.Response) -> NumberRestricted | None:
    """Our bridge's ``{"error": "<reason>", "detail", "retryAfter"}`` on a 429 or 403."""
    reason = error_text(response.content)
    if reason not in RESTRICTIONS.get(response.status_code, ()):
        return None
    payload = decode(response.content)
    detail = str(payload.get("detail") or "") if isinstance(payload, dict) else ""
    retry_after = payload.get("retryAfter") if isinstance(payload, dict) else None
    if not isinstance(retry_after, int | float):
        header = response.headers.get("retry-after", "")
        retry_after = float(header) if header.isdigit() else None
    return NumberRestricted(reason, detail, float(retry_after) if retry_after else None)
