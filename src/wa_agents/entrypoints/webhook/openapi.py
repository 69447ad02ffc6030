"""What the webhook routes document: the bridge's envelope as the request body.

The handlers read the raw body (the signature covers its exact bytes), so Litestar cannot
infer a body from their signature; this operation class adds it, so the schema says what the
server checks (a ``sessionId`` like ``a/b`` is invalid here and a 422 there).
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from wa_agents.domain.model.session import SESSION_ID

ENVELOPE_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["sessionId", "eventType"],
    properties={
        "sessionId": Schema(type=OpenAPIType.STRING, pattern=SESSION_ID.pattern),
        "eventType": Schema(
            type=OpenAPIType.STRING,
            description="message.received, message.status, session.connected, … (others are "
            "acknowledged as ignored)",
        ),
        "data": Schema(type=OpenAPIType.OBJECT, description="the event's fields"),
        "origin": Schema(one_of=[Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.NULL)]),
        "timestamp": Schema(
            one_of=[Schema(type=OpenAPIType.NUMBER), Schema(type=OpenAPIType.NULL)],
            description="milliseconds since the epoch",
        ),
    },
    description="A bridge event (zapw's envelope; unknown fields are ignored)",
)
ENVELOPE_BODY = RequestBody(
    content={"application/json": OpenAPIMediaType(schema=ENVELOPE_SCHEMA)}, required=True
)


@dataclass
class WebhookOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = ENVELOPE_BODY
