"""Log line formats: JSON lines (containers; one object a line) and the console's, both
escaping every control or line-break character that comes from outside (one line a record).

Every line carries the request id and the correlation id (``-`` when none): the id that
follows one message from its webhook through its turn to its send, across processes, so
``correlation_id`` finds every line about that message in every replica's log.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from types import TracebackType

CONSOLE = "%(asctime)s %(levelname)-7s [%(request_id)s %(correlation_id)s] %(name)s: %(message)s"

# C0 and C1 controls (CR, LF, NUL, ESC…), DEL, and every other character str.splitlines()
# or a terminal treats as a line break.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` on one line, every control or line-break character written as an escape."""
    return _UNSAFE.sub(_escape_char, text)


class ConsoleFormatter(logging.Formatter):
    """The classic one-line format, with the message and the request id escaped."""

    def __init__(self) -> None:
        super().__init__(CONSOLE)

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape(record.message)
        record.request_id = escape(str(getattr(record, "request_id", "-")))
        record.correlation_id = escape(str(getattr(record, "correlation_id", "-")))
        return super().formatMessage(record)

    def formatException(self, ei: ExcInfo) -> str:
        lines = super().formatException(ei).splitlines()
        return "\n".join("  | " + escape(line) for line in lines)

    def formatStack(self, stack_info: str) -> str:
        return "\n".join("  | " + escape(line) for line in stack_info.splitlines())


class JsonLines(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", "correlation_id"}`` (+
    ``exception``), one object a line: newlines inside a message stay escaped."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "correlation_id": getattr(record, "correlation_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # json escapes C0 controls itself; DEL, C1 controls and U+2028/U+2029 it leaves raw
        return _UNSAFE.sub(_unicode_escape, json.dumps(entry, ensure_ascii=False))


def _unicode_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
