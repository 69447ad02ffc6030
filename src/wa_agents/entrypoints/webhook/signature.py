"""Who may deliver webhooks: a Standard Webhooks signature, or the zapw path token."""

from __future__ import annotations

import binascii
import hmac

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from wa_agents.domain.model.errors import AuthenticationFailed


def verify_signature(body: bytes, headers: dict[str, str], secrets: tuple[str, ...]) -> str:
    """The ``webhook-id`` of a delivery signed with any active secret (±5 min), else raise.

    Two secrets may be active while one is rotated out. Malformed headers are refused the
    same way as wrong signatures: ``AuthenticationFailed``, and nothing is written.
    """
    if not secrets:
        raise AuthenticationFailed("signed webhooks are not configured: set WA_WEBHOOK_SECRET")
    for secret in secrets:
        try:
            Webhook(secret).verify(body, headers, json_parse=False)
        except (WebhookVerificationError, ValueError, binascii.Error, UnicodeDecodeError):
            continue
        return headers.get("webhook-id", "")
    raise AuthenticationFailed("webhook signature, timestamp or headers are not valid")


def verify_token(given: str, expected: str | None) -> None:
    """The zapw path token, compared in constant time."""
    if not expected:
        raise AuthenticationFailed("token webhooks are not configured: set WA_WEBHOOK_TOKEN")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise AuthenticationFailed("unknown webhook token")
