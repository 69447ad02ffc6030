"""Webhook deliveries already applied, by the sender's delivery id (``webhook-id``).

Inside a ``UnitOfWork``. ``seen`` tells whether an id was recorded; ``record`` stores it and
returns False when it was already there (concurrent records of one id: exactly one True);
``forget_before`` drops ids received before ``cutoff`` (a replay that old fails its signature's
timestamp check anyway) and returns how many.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class DeliveryLog(Protocol):
    async def seen(self, delivery_id: str) -> bool: ...
    async def record(self, delivery_id: str, now: datetime) -> bool: ...
    async def forget_before(self, cutoff: datetime) -> int: ...
