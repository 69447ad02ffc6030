"""SQLAlchemy ``DeliveryLog``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import deliveries
from wa_agents.ports.deliveries import DeliveryLog


class SqlAlchemyDeliveryLog(Repository, DeliveryLog):
    async def seen(self, delivery_id: str) -> bool:
        query = select(deliveries.c.id).where(deliveries.c.id == delivery_id)
        return (await self._s.execute(query)).first() is not None

    async def record(self, delivery_id: str, now: datetime) -> bool:
        return await self._insert_ignore(deliveries, {"id": delivery_id, "received_at": now}, "id")

    async def forget_before(self, cutoff: datetime) -> int:
        statement = delete(deliveries).where(deliveries.c.received_at < cutoff)
        return int((await self._s.execute(statement)).rowcount)
