"""Contacts: the other JIDs of a contact, and everything stored about one (data rights).

Inside a ``UnitOfWork``. A contact may reach us under its phone JID and under an ``@lid``
JID; ``link`` records that ``alias_jid`` is ``contact_jid`` (idempotent; linking a JID to
itself does nothing) and ``resolve`` maps a JID to the one we keep (itself when it has no
alias). ``aliases`` lists the other JIDs of a kept one.

``related`` returns, per table, the rows of tables the core does not model (such as tool
approvals, when that table exists) for the given JIDs, as JSON-ready dicts. ``erase`` deletes
every row of the given JIDs on one session (messages, the conversation, usage records,
aliases, the ``ai.reply`` audit rows that quote them, and those related tables) and returns
how many rows it deleted per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol


class ContactRepository(Protocol):
    async def link(
        self, session_id: str, alias_jid: str, contact_jid: str, now: datetime
    ) -> None: ...
    async def resolve(self, session_id: str, jid: str) -> str: ...
    async def aliases(self, session_id: str, contact_jid: str) -> list[str]: ...
    async def related(
        self, session_id: str, jids: Sequence[str]
    ) -> dict[str, list[dict[str, Any]]]: ...
    async def erase(self, session_id: str, jids: Sequence[str]) -> dict[str, int]: ...
