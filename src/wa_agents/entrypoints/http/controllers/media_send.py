"""``POST /api/v1/sessions/{id}/conversations/{jid}/media``: an operator sends a file.

Multipart (``file``, optional ``caption``) or JSON ``{url, caption?}`` (fetched under the
outbound safety rules). The kind (image, audio, video, document) follows the file's bytes.
The message is queued and sent by the same durable ``send`` job as a text reply.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec
from litestar import Controller, Request, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath

from wa_agents.domain.model.documents import UnsupportedMediaType
from wa_agents.domain.model.user import User
from wa_agents.domain.services.media_send import OUTBOUND_MAX_BYTES, MediaSendService
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.media_uploads import MediaUploadOperation, MediaUrlIn
from wa_agents.entrypoints.http.dto.sessions import MessageOut
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR

_URL = msgspec.json.Decoder(MediaUrlIn)
CHUNK = 256 * 1024


async def _chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK):
        yield chunk


def _sends(platform: Platform) -> MediaSendService:
    if platform.media_sends is None:
        raise NotFoundException("media is not enabled on this server (no media store)")
    return platform.media_sends


class MediaSendController(Controller):
    path = "/api/v1/sessions/{session_id:str}/conversations/{jid:str}/media"
    tags = ("conversations",)
    security = BEARER

    @post(
        "/",
        guards=[OPERATOR],
        request_max_body_size=OUTBOUND_MAX_BYTES + 64 * 1024,
        operation_class=MediaUploadOperation,
        responses=errors(400, 401, 403, 404, 413, 415, 422),
        summary="Send an image, audio, video or document as an operator (queued, then sent)",
    )
    async def send_media(
        self,
        session_id: FromPath[str],
        jid: FromPath[str],
        request: Request[Any, Any, Any],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> MessageOut:
        sends = _sends(platform)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "multipart/form-data":
            form = await request.form()
            file, caption = form.get("file"), form.get("caption")
            if not isinstance(file, UploadFile):
                raise ClientException("multipart upload needs a `file` part")
            message = await sends.send_file(
                session_id,
                jid,
                _chunks(file),
                actor=user.username,
                caption=caption if isinstance(caption, str) else "",
                filename=file.filename or None,
                declared_type=file.content_type,
            )
        elif kind == "application/json":
            try:
                data = _URL.decode(await request.body())
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                raise ClientException(f"body: {exc}") from None
            message = await sends.send_url(
                session_id, jid, data.url, actor=user.username, caption=data.caption
            )
        else:
            raise UnsupportedMediaType("send multipart/form-data with a file, or JSON {url}")
        return MessageOut.of(message)
