"""No NUL character ever reaches the database, whichever feature wrote the text.

PostgreSQL refuses ``\\x00`` in ``text`` and ``\\u0000`` in ``jsonb`` (a DataError), and any
sender can put one in a message, a path or a JSON body; SQLite would store it and cut some
reads short. So every statement's string parameters and every JSON document are cleaned on
the way in, here, for both dialects: a NUL is dropped, nothing else changes.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

NUL = "\x00"


def without_nul(value: Any) -> Any:
    """``value`` with NUL removed from every string in it (dict keys, lists, tuples too)."""
    if isinstance(value, str):
        return value.replace(NUL, "") if NUL in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(without_nul(item) for item in value)
    return value


def json_serializer(value: Any) -> str:
    """The engine's JSON encoder: the document without NUL (never ``\\u0000``)."""
    return json.dumps(without_nul(value))


def strip_nul_parameters(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute", retval=True)
    def clean(
        _connection: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool
    ) -> tuple[str, Any]:
        if many and isinstance(parameters, list):
            return statement, [without_nul(row) for row in parameters]
        return statement, without_nul(parameters)
