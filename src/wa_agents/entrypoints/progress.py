"""A progress bar on stderr: redrawn in place on a terminal, a line per tenth elsewhere
(CI logs, pipes), so it works with or without a TTY."""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 30


class ProgressBar:
    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._tty = self._stream.isatty()
        self._shown: dict[str, int] = {}  # per label: the last tenth printed (no TTY)

    def __call__(self, label: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if self._tty:
            filled = int(share * WIDTH)
            bar = "#" * filled + "." * (WIDTH - filled)
            end = "\n" if done >= total else ""
            self._stream.write(f"\r{label:<10} [{bar}] {share:4.0%} {done}/{total}{end}")
        else:
            tenth = int(share * 10)
            if self._shown.get(label) == tenth:
                return
            self._shown[label] = tenth
            self._stream.write(f"{label}: {done}/{total} ({share:.0%})\n")
        self._stream.flush()
