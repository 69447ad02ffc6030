"""The OpenAPI description of an operator's media send: multipart file, or JSON ``{url}``."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from wa_agents.domain.services.media_send import MAX_CAPTION

_CAPTION = Schema(type=OpenAPIType.STRING, max_length=MAX_CAPTION, description="sent with it")
_URL = Schema(
    type=OpenAPIType.OBJECT,
    required=["url"],
    properties={
        "url": Schema(
            type=OpenAPIType.STRING,
            min_length=1,
            max_length=2048,
            description="fetched once, under the outbound rules",
        ),
        "caption": _CAPTION,
    },
    additional_properties=False,
)
_FILE = Schema(
    type=OpenAPIType.OBJECT,
    required=["file"],
    properties={
        "file": Schema(type=OpenAPIType.STRING, content_media_type="application/octet-stream"),
        "caption": _CAPTION,
    },
)
MEDIA_BODY = RequestBody(
    required=True,
    content={
        "application/json": OpenAPIMediaType(schema=_URL),
        "multipart/form-data": OpenAPIMediaType(schema=_FILE),
    },
)


@dataclass
class MediaUploadOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = MEDIA_BODY


class MediaUrlIn(msgspec.Struct, forbid_unknown_fields=True):
    url: str
    caption: str = ""
