"""Data rights: everything stored about one contact, exported as JSON or erased.

A contact is a JID (phone or ``@lid`` form; its recorded aliases come along) on one session
or on every session. Export returns its conversations (mode, rolling summary), messages,
usage records and rows of related tables (tool approvals, where that table exists). Erase
deletes all of that, the message vectors in the search index, and the ``ai.reply`` audit
rows that quote its messages; both leave an audit row of their own (counts, never content).
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from datetime import datetime
from typing import Any

from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.jid import normalize_jid
from wa_agents.domain.model.message import Message
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.usage import TurnUsage
from wa_agents.domain.services.audit import record_audit
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

EVERYTHING = 100_000  # messages of one conversation in an export


def _object(value: dict[str, Any]) -> dict[str, Any]:
    return {k: _json(v) for k, v in value.items()}


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def conversation_json(c: Conversation) -> dict[str, Any]:
    return _object(
        {
            "contact_jid": c.contact_jid,
            "mode": c.mode.value,
            "summary": c.memory.summary,
            "summary_updated_at": c.memory.updated_at,
            "memory_reset_at": c.memory_reset_at,
            "last_activity_at": c.last_activity_at,
            "created_at": c.created_at,
        }
    )


def message_json(m: Message) -> dict[str, Any]:
    return _object(
        {
            "id": m.id,
            "contact_jid": m.contact_jid,
            "direction": m.direction.value,
            "message_type": m.message_type.value,
            "content": m.content,
            "media_url": m.media_url,
            "metadata": m.metadata,
            "wa_message_id": m.wa_message_id,
            "status": m.status.value,
            "timestamp": m.timestamp,
        }
    )


def usage_json(u: TurnUsage) -> dict[str, Any]:
    return _object(asdict(u))


async def _sessions(uow: UnitOfWork, session_id: str | None) -> list[str]:
    if session_id is not None:
        await uow.sessions.get(session_id)
        return [session_id]
    found, offset = [], 0
    while True:
        page = await uow.sessions.list(PageRequest(limit=100, offset=offset))
        found += [s.id for s in page.items]
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return found


async def _jids(uow: UnitOfWork, session_id: str, jid: str) -> list[str]:
    """The contact's JIDs on a session: the one we keep and every alias of it."""
    kept = await uow.contacts.resolve(session_id, jid)
    return sorted({jid, kept, *await uow.contacts.aliases(session_id, kept)})


class ContactDataService:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, index: VectorIndex | None
    ) -> None:
        self._uow, self._clock, self._ids, self._index = uow, clock, ids, index

    async def export(
        self, contact_jid: str, *, session_id: str | None = None, actor: str
    ) -> dict[str, Any]:
        jid = normalize_jid(contact_jid)
        sessions: list[dict[str, Any]] = []
        async with self._uow() as uow:
            for sid in await _sessions(uow, session_id):
                part = await self._export_session(uow, sid, await _jids(uow, sid, jid))
                if part is not None:
                    sessions.append(part)
            await record_audit(
                uow, self._ids, self._clock, actor=actor, action="contact.export", target=jid,
                sessions=[s["session_id"] for s in sessions],
                messages=sum(len(s["messages"]) for s in sessions),
            )  # fmt: skip
            await uow.commit()
        now = self._clock.now().isoformat()
        return {"contact_jid": jid, "exported_at": now, "sessions": sessions}

    async def _export_session(
        self, uow: UnitOfWork, session_id: str, jids: list[str]
    ) -> dict[str, Any] | None:
        conversations, messages = [], []
        for jid in jids:
            with contextlib.suppress(NotFound):
                conversations.append(
                    conversation_json(await uow.conversations.get(session_id, jid))
                )
            messages += await uow.messages.recent(session_id, jid, limit=EVERYTHING)
        usage = await uow.usage.for_contact(session_id, jids)
        if not conversations and not messages and not usage:
            return None
        messages.sort(key=lambda m: (m.timestamp, m.id))
        return {
            "session_id": session_id,
            "jids": jids,
            "conversations": conversations,
            "messages": [message_json(m) for m in messages],
            "usage": [usage_json(u) for u in usage],
            **await uow.contacts.related(session_id, jids),
        }

    async def erase(
        self, contact_jid: str, *, session_id: str | None = None, actor: str
    ) -> dict[str, int]:
        """Delete every row of the contact (and its vectors); returns the counts per table."""
        jid = normalize_jid(contact_jid)
        totals: dict[str, int] = {}
        erased: list[tuple[str, list[str]]] = []
        async with self._uow() as uow:
            for sid in await _sessions(uow, session_id):
                jids = await _jids(uow, sid, jid)
                for table, count in (await uow.contacts.erase(sid, jids)).items():
                    totals[table] = totals.get(table, 0) + count
                erased.append((sid, jids))
            await record_audit(
                uow, self._ids, self._clock, actor=actor, action="contact.erase", target=jid,
                sessions=[sid for sid, _ in erased], **totals,
            )  # fmt: skip
            await uow.commit()
        totals["vectors"] = await self._forget(erased)
        return totals

    async def _forget(self, erased: list[tuple[str, list[str]]]) -> int:
        """After the rows are gone (so nothing re-indexes them): their message vectors."""
        if self._index is None:
            return 0
        removed = 0
        for sid, jids in erased:
            for jid in jids:
                where = {"kind": "message", "session_id": sid, "contact_jid": jid}
                removed += await self._index.delete(where)
        return removed
