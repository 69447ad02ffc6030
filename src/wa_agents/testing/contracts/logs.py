"""Contract of ``LogRepository`` and ``AuditRepository``. Fixture: ``backend``."""

from __future__ import annotations

from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.model.page import PageRequest
from wa_agents.ports.logs import AuditFilter, LogFilter
from wa_agents.testing.contracts._support import seed_session
from wa_agents.testing.factories import at, make_audit, make_log
from wa_agents.testing.harness import StorageBackend


class LogRepositoryContract:
    async def test_query_filters_and_pages_newest_first(self, backend: StorageBackend) -> None:
        await seed_session(backend, "s1")
        entries = [
            make_log(
                level=LogLevel.ERROR,
                source="bridge",
                timestamp=at(1),
                session_id="s1",
                details={"status": 500},
            ),
            make_log(level=LogLevel.INFO, source="bridge", timestamp=at(2)),
            make_log(level=LogLevel.ERROR, source="llm", timestamp=at(3)),
            make_log(level=LogLevel.ERROR, source="bridge", timestamp=at(4), session_id="s1"),
        ]
        async with backend.uow() as uow:
            for entry in entries:
                await uow.logs.add(entry)
            await uow.commit()
        async with backend.uow() as uow:
            errors = await uow.logs.query(LogFilter(level=LogLevel.ERROR), PageRequest(limit=2))
            bridge_s1 = await uow.logs.query(
                LogFilter(source="bridge", session_id="s1"), PageRequest()
            )
            window = await uow.logs.query(LogFilter(since=at(2), until=at(4)), PageRequest())
        assert [e.id for e in errors.items] == [entries[3].id, entries[2].id] and errors.total == 3
        assert [e.id for e in bridge_s1.items] == [entries[3].id, entries[0].id]
        assert [e.id for e in window.items] == [entries[2].id, entries[1].id]
        assert bridge_s1.items[1] == entries[0]


class AuditRepositoryContract:
    async def test_query_by_actor_action_and_time(self, backend: StorageBackend) -> None:
        entries = [
            make_audit(
                actor="alice", action="user.create", timestamp=at(1), details={"role": "admin"}
            ),
            make_audit(actor="bob", action="agent.create", timestamp=at(2)),
            make_audit(actor="alice", action="agent.create", timestamp=at(3)),
        ]
        async with backend.uow() as uow:
            for entry in entries:
                await uow.audit.add(entry)
            await uow.commit()
        async with backend.uow() as uow:
            alice = await uow.audit.query(AuditFilter(actor="alice"), PageRequest())
            created = await uow.audit.query(
                AuditFilter(action="agent.create", since=at(3)), PageRequest()
            )
            page = await uow.audit.query(AuditFilter(), PageRequest(limit=1, offset=1))
        assert [e.id for e in alice.items] == [entries[2].id, entries[0].id]
        assert alice.items[1] == entries[0]
        assert [e.id for e in created.items] == [entries[2].id]
        assert [e.id for e in page.items] == [entries[1].id] and page.total == 3
