"""In-memory ``DeliveryLog``."""

from __future__ import annotations

from datetime import datetime

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.ports.deliveries import DeliveryLog


class MemoryDeliveryLog(DeliveryLog):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def seen(self, delivery_id: str) -> bool:
        return delivery_id in self._db.deliveries

    async def record(self, delivery_id: str, now: datetime) -> bool:
        if delivery_id in self._db.deliveries:
            return False
        self._db.deliveries[delivery_id] = now
        return True

    async def forget_before(self, cutoff: datetime) -> int:
        old = [key for key, at in self._db.deliveries.items() if at < cutoff]
        for key in old:
            del self._db.deliveries[key]
        return len(old)
