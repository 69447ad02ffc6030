"""The one way a use case leaves an audit row: who did what to what, now."""

from __future__ import annotations

from typing import Any

from wa_agents.domain.model.log import AuditEntry
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork


async def record_audit(
    uow: UnitOfWork,
    ids: IdGenerator,
    clock: Clock,
    *,
    actor: str,
    action: str,
    target: str,
    **details: Any,
) -> None:
    """Add the row inside ``uow``: it commits with the change it describes, or not at all."""
    entry = AuditEntry(
        id=ids.new_id(),
        actor=actor,
        action=action,
        target=target,
        timestamp=clock.now(),
        details=details,
    )
    await uow.audit.add(entry)
