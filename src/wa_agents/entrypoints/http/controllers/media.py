"""``GET /api/v1/messages/{id}/media``: a message's stored file, streamed, to a signed-in user.

The file is never reachable without a token (its store key is not a URL). Images, audio and
video are served inline with the type their bytes were checked against; everything else is
an attachment, and ``nosniff`` stops a browser from reading a file as something else.
"""

from __future__ import annotations

from urllib.parse import quote

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Stream

from wa_agents.domain.model.media import MediaInfo
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, VIEWER

INLINE = ("image/", "audio/", "video/")


def disposition(media: MediaInfo) -> str:
    mime = media.mime_type or "application/octet-stream"
    kind = "inline" if mime.startswith(INLINE) else "attachment"
    name = media.filename or f"{media.kind}.{mime.split('/')[-1].split(';')[0] or 'bin'}"
    ascii_name = "".join(c if c.isalnum() or c in "._- " else "_" for c in name)[:150]
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name[:150])}"


class MediaController(Controller):
    path = "/api/v1/messages"
    tags = ("media",)
    security = BEARER

    @get(
        "/{message_id:str}/media",
        guards=[VIEWER],
        responses=errors(401, 404),
        summary="The file of a media message (image, voice note, document, …), streamed",
    )
    async def media(self, message_id: FromPath[str], platform: NamedDependency[Platform]) -> Stream:
        if platform.media is None:
            raise NotFoundException("media is not enabled on this server (no media store)")
        media, chunks = await platform.media.file(message_id)
        headers = {
            "Content-Disposition": disposition(media),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=300",
        }
        if media.size is not None:
            headers["Content-Length"] = str(media.size)
        return Stream(
            chunks, media_type=media.mime_type or "application/octet-stream", headers=headers
        )
