"""Process logging: JSON or console lines, each with the request (or job) id.

Every record is exactly one line, whatever it carries: values from outside (paths, headers,
bodies, bridge fields, exception messages) may hold CR, LF, NUL, ANSI escapes or Unicode line
separators, so both formatters escape them (``\\n``, ``\\x00``, ``\\u2028``) and no caller has
to remember to. A traceback (console format) follows on indented lines that start with
``  | ``, so no line of it can pass for a record of its own.
"""

from __future__ import annotations

import logging

from wa_agents.entrypoints.context import RequestIdFilter
from wa_agents.entrypoints.log_formats import ConsoleFormatter, JsonLines
from wa_agents.entrypoints.settings import Settings


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    json_lines = settings.log_format == "json"
    handler.setFormatter(JsonLines() if json_lines else ConsoleFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # our access line carries the id
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))
