"""``POST /webhooks/bridge`` (signed) and ``POST /webhooks/bridge/{token}`` (plain zapw).

Authentication comes first and writes nothing when it fails (401). Then the body is decoded
(400 when it is not the contract's JSON) and applied; the 200 goes out only after the
database committed, so a bridge that sees it may forget the event. A redelivery gets 200 and
changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import FromPath

from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.context import request_id
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.settings import Settings
from wa_agents.entrypoints.webhook.payloads import ENVELOPE
from wa_agents.entrypoints.webhook.signature import verify_signature, verify_token
from wa_agents.entrypoints.webhook.translate import apply_event

log = logging.getLogger("wa_agents.webhook")


class Ack(msgspec.Struct, frozen=True):
    status: str  # "stored", "duplicate", "applied", "unknown" or "ignored"


async def _receive(body: bytes, webhook_id: str, platform: NamedDependency[Platform]) -> Ack:
    try:
        envelope = ENVELOPE.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ClientException(f"not a bridge event: {exc}") from exc
    if webhook_id:
        request_id.set(webhook_id)  # the delivery's id follows it through the logs
    try:
        outcome = await apply_event(envelope, webhook_id, platform.bridge_events)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ClientException(f"bad {envelope.eventType} data: {exc}") from exc
    log.info("bridge %s for %s: %s", envelope.eventType, envelope.sessionId, outcome)
    return Ack(outcome)


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.container.settings()
    return settings


class WebhookController(Controller):
    path = "/webhooks/bridge"
    tags = ("webhooks",)

    @post(
        "/",
        status_code=200,
        exclude_from_auth=True,
        security=[],
        responses=errors(400, 401, 413),
        summary="Bridge events, signed with Standard Webhooks (our bridge)",
    )
    async def signed(
        self, request: Request[Any, Any, Any], platform: NamedDependency[Platform]
    ) -> Ack:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        webhook_id = verify_signature(body, headers, _settings(request).webhook_secrets)
        return await _receive(body, webhook_id, platform)

    @post(
        "/{token:str}",
        status_code=200,
        exclude_from_auth=True,
        security=[],
        responses=errors(400, 401, 413),
        summary="Bridge events from a plain zapw bridge, authorised by the secret path token",
    )
    async def by_token(
        self,
        token: FromPath[str],
        request: Request[Any, Any, Any],
        platform: NamedDependency[Platform],
    ) -> Ack:
        verify_token(token, _settings(request).webhook_token)
        return await _receive(await request.body(), "", platform)
