"""``/api/v1/agents/{id}/documents``: an agent's knowledge — upload, list, delete."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.params import FromPath

from wa_agents.domain.model.documents import MAX_DOCUMENT_BYTES, UnsupportedMediaType
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.knowledge import DocumentIn, DocumentOut, DocumentPage
from wa_agents.entrypoints.http.dto.uploads import UploadOperation
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR, VIEWER

UPLOAD_BODY = MAX_DOCUMENT_BYTES + 64 * 1024  # the file, and the multipart envelope around it
_JSON = msgspec.json.Decoder(DocumentIn)
UPLOAD = (
    "Either `multipart/form-data` with a `file` part (text, Markdown, HTML or PDF, at most "
    f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB) and an optional `title` (default: the file "
    "name), or JSON `{title, content}` (plain text or Markdown), or JSON `{url, title?}` "
    "(fetched once, under the outbound rules). A document with the title of an existing one "
    "replaces it. Answers 201 with the document, `pending` until its index job has run; 415 for "
    "a type that cannot be read."
)


class DocumentController(Controller):
    path = "/api/v1/agents/{agent_id:str}/documents"
    tags = ("knowledge",)
    security = BEARER

    @post(
        "/",
        guards=[OPERATOR],
        request_max_body_size=UPLOAD_BODY,
        operation_class=UploadOperation,
        responses=errors(400, 401, 403, 404, 413, 415, 422),
        summary="Add a knowledge document (file, text or URL)",
        description=UPLOAD,
    )
    async def add_document(
        self,
        agent_id: FromPath[str],
        request: Request[Any, Any, Any],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> DocumentOut:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "multipart/form-data":
            form = await request.form()
            file, title = form.get("file"), form.get("title")
            if not isinstance(file, UploadFile):
                raise ClientException("multipart upload needs a `file` part")
            document = await platform.documents.add_file(
                agent_id,
                await file.read(),
                filename=file.filename,
                declared_type=file.content_type,
                title=title if isinstance(title, str) else None,
                actor=user.username,
            )
        elif kind == "application/json":
            document = await self._from_json(agent_id, await request.body(), platform, user)
        else:
            raise UnsupportedMediaType(
                "send multipart/form-data with a file, or JSON {title, content} or {url}"
            )
        return DocumentOut.of(document)

    @staticmethod
    async def _from_json(agent_id: str, body: bytes, platform: Platform, user: User) -> Any:
        try:
            data = _JSON.decode(body)
        except msgspec.DecodeError as exc:
            raise ClientException(f"body: {exc}") from None
        if data.url is not None and data.content is None:
            return await platform.documents.add_url(
                agent_id, data.url, title=data.title, actor=user.username
            )
        if data.content is None or data.title is None or data.url is not None:
            raise ClientException("give {title, content} or {url} (with an optional title)")
        return await platform.documents.add_text(
            agent_id, data.title, data.content, actor=user.username
        )

    @get("/", guards=[VIEWER], responses=errors(400, 401, 404), summary="An agent's documents")
    async def list_documents(
        self,
        agent_id: FromPath[str],
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
    ) -> DocumentPage:
        found = await platform.documents.list(agent_id, page)
        items = [DocumentOut.of(d) for d in found.items]
        return DocumentPage(items, found.total, page.limit, page.offset)

    @delete(
        "/{document_id:str}",
        guards=[OPERATOR],
        responses=errors(401, 403, 404),
        summary="Delete a document, its chunks and its vectors",
    )
    async def delete_document(
        self,
        agent_id: FromPath[str],
        document_id: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> None:
        await platform.documents.delete(agent_id, document_id, actor=user.username)
