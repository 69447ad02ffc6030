"""Bridge webhooks as a bridge sends them: zapw-shaped bodies and Standard Webhooks headers.

The signer is written here from the scheme's text (HMAC-SHA256 over ``id.timestamp.body``
with the base64 key after ``whsec_``), independently of the library the server verifies with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

SECRET = "whsec_" + base64.b64encode(b"test-secret-of-32-bytes-long!!!!").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"the-previous-secret-still-valid!").decode()
TOKEN = "zapw-path-token-0123456789abcdef"


def event(session_id: str, event_type: str, data: dict[str, Any]) -> bytes:
    envelope = {
        "sessionId": session_id,
        "origin": session_id,
        "eventType": event_type,
        "timestamp": int(time.time() * 1000),
        "data": data,
    }
    return json.dumps(envelope).encode()


def text_message(session_id: str, sender: str, text: str, message_id: str, **extra: Any) -> bytes:
    data = {
        "from": sender,
        "to": "15550000000:7@s.whatsapp.net",
        "messageId": message_id,
        "timestamp": int(time.time() * 1000),
        "isGroup": False,
        "type": "text",
        "text": text,
        **extra,
    }
    return event(session_id, "message.received", data)


def signed_headers(
    body: bytes, webhook_id: str, *, secret: str = SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{webhook_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": ts,
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
