"""Clock and id generation.

``Clock.now()`` returns an aware UTC datetime. ``IdGenerator.new_id()`` returns a new unique
string id, lexically increasing within one generator so ids sort in creation order.
Both are synchronous and never fail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    def new_id(self) -> str: ...
