"""The phone side of the sandbox messaging gateway.

Only the sandbox driver has one: ``link`` plays a person scanning the session's QR code with
their phone, so the session becomes connected. Idempotent on a connected session; ``NotFound``
for an unknown id.
"""

from __future__ import annotations

from typing import Protocol

from wa_agents.ports.messaging import SessionInfo


class SandboxPhone(Protocol):
    async def link(self, session_id: str) -> SessionInfo: ...
