"""The OpenAPI description of the document upload body: JSON (two forms) or multipart.

The handler reads the body itself (it accepts two encodings), so the schema is written here
rather than derived from a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from wa_agents.domain.model.documents import MAX_TEXT_CHARS, MAX_TITLE


def _string(max_length: int, description: str) -> Schema:
    return Schema(
        type=OpenAPIType.STRING, min_length=1, max_length=max_length, description=description
    )


_TITLE = _string(MAX_TITLE, "the document's title (the same title replaces a document)")
_TEXT = Schema(
    type=OpenAPIType.OBJECT,
    required=["title", "content"],
    properties={"title": _TITLE, "content": _string(MAX_TEXT_CHARS, "plain text or Markdown")},
    additional_properties=False,
)
_URL = Schema(
    type=OpenAPIType.OBJECT,
    required=["url"],
    properties={"url": _string(2048, "fetched once, under the outbound rules"), "title": _TITLE},
    additional_properties=False,
)
_FILE = Schema(
    type=OpenAPIType.OBJECT,
    required=["file"],
    properties={
        "file": Schema(
            type=OpenAPIType.STRING, format=None, content_media_type="application/octet-stream"
        ),
        "title": _TITLE,
    },
)
UPLOAD_BODY = RequestBody(
    required=True,
    content={
        "application/json": OpenAPIMediaType(schema=Schema(one_of=[_TEXT, _URL])),
        "multipart/form-data": OpenAPIMediaType(schema=_FILE),
    },
)


@dataclass
class UploadOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = UPLOAD_BODY
