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
from litestar.exceptions import ClientException, TooManyRequestsException
from litestar.params import FromPath

from wa_agents.domain.services.correlation import correlation_id
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.context import request_id
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.throttle import WebhookLimit
from wa_agents.entrypoints.settings import Settings
from wa_agents.entrypoints.webhook.openapi import WebhookOperation
from wa_agents.entrypoints.webhook.payloads import ENVELOPE
from wa_agents.entrypoints.webhook.signature import verify_signature, verify_token
from wa_agents.entrypoints.webhook.translate import restriction_of, to_event
from wa_agents.ports.telemetry import Telemetry

log = logging.getLogger("wa_agents.webhook")


class Ack(msgspec.Struct, frozen=True):
    status: str  # "stored", "duplicate", "applied", "stale", "unknown" or "ignored"


async def _receive(
    request: Request[Any, Any, Any],
    body: bytes,
    webhook_id: str,
    platform: NamedDependency[Platform],
) -> Ack:
    try:
        envelope = ENVELOPE.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ClientException(f"not a bridge event: {exc}") from exc
    telemetry: Telemetry = request.app.state.container.telemetry()
    limit: WebhookLimit = request.app.state.webhook_limit
    try:
        await limit.check(envelope.sessionId)
    except TooManyRequestsException:
        telemetry.webhook(envelope.eventType, "limited")
        raise
    if webhook_id:
        request_id.set(webhook_id)  # the delivery's id follows it through the logs
    # ... and through the turn and the send it causes, in whichever worker runs them
    correlation_id.set(webhook_id or request_id.get())
    try:
        event = to_event(envelope, webhook_id)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ClientException(f"bad {envelope.eventType} data: {exc}") from exc
    outcome = await platform.bridge_events.deliver(webhook_id, event)
    restriction = restriction_of(envelope)
    if restriction is not None:  # WhatsApp limits the number: the governor pauses its sends
        log.warning("bridge reports %s is %s: sends paused", envelope.sessionId, restriction)
        await platform.governor.restricted(envelope.sessionId, restriction)
    log.info("bridge %s for %s: %s", envelope.eventType, envelope.sessionId, outcome)
    telemetry.webhook(envelope.eventType, outcome)
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
        responses=errors(400, 401, 413, 422, 429),
        operation_class=WebhookOperation,
        summary="Bridge events, signed with Standard Webhooks (our bridge)",
    )
    async def signed(
        self, request: Request[Any, Any, Any], platform: NamedDependency[Platform]
    ) -> Ack:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        webhook_id = verify_signature(body, headers, _settings(request).webhook_secrets)
        return await _receive(request, body, webhook_id, platform)

    @post(
        "/{token:str}",
        status_code=200,
        exclude_from_auth=True,
        security=[],
        responses=errors(400, 401, 413, 422, 429),
        operation_class=WebhookOperation,
        summary="Bridge events from a plain zapw bridge, authorised by the secret path token",
    )
    async def by_token(
        self,
        token: FromPath[str],
        request: Request[Any, Any, Any],
        platform: NamedDependency[Platform],
    ) -> Ack:
        verify_token(token, _settings(request).webhook_token)
        return await _receive(request, await request.body(), "", platform)
