"""Contract of ``AgentRepository``. Fixture: ``backend`` -> ``StorageBackend``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.handoff import HandoffPolicy
from wa_agents.domain.model.hours import hours_from
from wa_agents.domain.model.page import PageRequest
from wa_agents.testing.factories import at, make_agent
from wa_agents.testing.harness import StorageBackend


async def _add(backend: StorageBackend, agent: Agent) -> Agent:
    async with backend.uow() as uow:
        await uow.agents.add(agent)
        await uow.commit()
    return agent


class AgentRepositoryContract:
    async def test_round_trip_keeps_every_field(self, backend: StorageBackend) -> None:
        agent = await _add(
            backend,
            make_agent(
                tools=("current_time", "search_history"),
                temperature=0.25,
                description="d" * 300,
                max_history_tokens=1234,
                is_active=False,
                debounce_ms=0,
                unsupported_media_reply="text only please",
                system_prompt="ü" * 5000,
            ),
        )
        async with backend.uow() as uow:
            assert await uow.agents.get(agent.id) == agent

    async def test_round_trip_keeps_handoff_hours_and_commands(
        self, backend: StorageBackend
    ) -> None:
        hours = hours_from(
            {
                "time_zone": "Europe/Lisbon",
                "weekly": {"mon": [["09:00", "13:00"], ["14:00", "24:00"]], "sat": []},
                "holidays": ["2026-06-13", "2026-12-25"],
                "outside": "handoff",
                "message": "Fechado.",
            }
        )
        policy = HandoffPolicy(message="", resume_word="/volta", timeout_minutes=90)
        agent = await _add(
            backend, make_agent(handoff=policy, hours=hours, commands=("help", "human"))
        )
        async with backend.uow() as uow:
            stored = await uow.agents.get(agent.id)
        assert (stored.handoff, stored.hours, stored.commands) == (policy, hours, ("help", "human"))

    async def test_duplicate_id_is_refused(self, backend: StorageBackend) -> None:
        agent = await _add(backend, make_agent())
        async with backend.uow() as uow:
            with pytest.raises(AlreadyExists):
                await uow.agents.add(replace(agent, name="other"))

    async def test_update_and_delete(self, backend: StorageBackend) -> None:
        agent = await _add(backend, make_agent())
        changed = replace(agent, name="Renamed", tools=("current_time",), updated_at=at(999))
        async with backend.uow() as uow:
            await uow.agents.update(changed)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.agents.get(agent.id) == changed
            await uow.agents.delete(agent.id)
            await uow.commit()
        async with backend.uow() as uow:
            with pytest.raises(NotFound):
                await uow.agents.get(agent.id)

    @pytest.mark.parametrize("operation", ["get", "delete", "update"])
    async def test_unknown_agent_raises_not_found(
        self, backend: StorageBackend, operation: str
    ) -> None:
        async with backend.uow() as uow:
            with pytest.raises(NotFound):
                if operation == "update":
                    await uow.agents.update(make_agent())
                else:
                    await getattr(uow.agents, operation)("missing")

    async def test_list_in_creation_order(self, backend: StorageBackend) -> None:
        agents = [await _add(backend, make_agent(created_at=at(i))) for i in (5, 1, 3)]
        async with backend.uow() as uow:
            page = await uow.agents.list(PageRequest(limit=10))
        assert [a.id for a in page.items] == [
            a.id for a in sorted(agents, key=lambda a: a.created_at)
        ]
        assert page.total == 3
