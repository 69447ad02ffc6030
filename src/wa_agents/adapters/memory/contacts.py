"""In-memory ``ContactRepository``: aliases, and erasing a contact's rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.usage import MemoryUsageRepository
from wa_agents.ports.contacts import ContactRepository


class MemoryContactRepository(ContactRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def link(self, session_id: str, alias_jid: str, contact_jid: str, now: datetime) -> None:
        if alias_jid != contact_jid:
            self._db.contact_aliases.setdefault((session_id, alias_jid), contact_jid)

    async def resolve(self, session_id: str, jid: str) -> str:
        return self._db.contact_aliases.get((session_id, jid), jid)

    async def aliases(self, session_id: str, contact_jid: str) -> list[str]:
        return sorted(
            alias
            for (session, alias), kept in self._db.contact_aliases.items()
            if session == session_id and kept == contact_jid
        )

    async def related(
        self, session_id: str, jids: Sequence[str]
    ) -> dict[str, list[dict[str, Any]]]:
        return {}  # the memory database has no table the core does not model

    async def erase(self, session_id: str, jids: Sequence[str]) -> dict[str, int]:
        db, wanted = self._db, set(jids)
        doomed = [
            m
            for m in db.messages.values()
            if m.session_id == session_id and m.contact_jid in wanted
        ]
        for m in doomed:
            del db.messages[m.id]
            db.indexed_messages.pop(m.id, None)
            if m.wa_message_id is not None:
                db.message_keys.pop((m.session_id, m.direction.value, m.wa_message_id), None)
        conversations = [k for k in db.conversations if k[0] == session_id and k[1] in wanted]
        for key in conversations:
            del db.conversations[key]
        aliases = [
            k
            for k, kept in db.contact_aliases.items()
            if k[0] == session_id and (k[1] in wanted or kept in wanted)
        ]
        for key in aliases:
            del db.contact_aliases[key]
        usage = await MemoryUsageRepository(db).delete_contact(session_id, list(wanted))
        approvals = [
            approval_id
            for approval_id, ap in db.approvals.items()
            if ap.session_id == session_id and ap.contact_jid in wanted
        ]
        for approval_id in approvals:
            del db.approvals[approval_id]
        targets = {f"{session_id}/{jid}" for jid in wanted}
        quoting = [
            e.id for e in db.audit.values() if e.action == "ai.reply" and e.target in targets
        ]
        for entry_id in quoting:
            del db.audit[entry_id]
        return {
            "messages": len(doomed),
            "conversations": len(conversations),
            "turn_usage": usage,
            "contact_aliases": len(aliases),
            "approvals": len(approvals),
            "audit": len(quoting),
        }
