"""Reading the probe's file: statement counters and event-loop lag samples."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


# -- the probe's file --------------------------------------------------------------------------
def probe_counters(path: Path, at: float, after: bool) -> Counter[str]:
    """The server's counters at the last snapshot before ``at`` (or the first one after)."""
    snapshots = []
    for line in path.read_text().splitlines():
        if line.startswith("C "):
            _, stamp, data = line.split(" ", 2)
            snapshots.append((float(stamp), data))
    if after:
        found = next((data for stamp, data in snapshots if stamp >= at), None)
    else:
        found = next((data for stamp, data in reversed(snapshots) if stamp <= at), None)
    return Counter(json.loads(found)) if found else Counter()


def probe_lags(path: Path, start: float, end: float) -> list[float]:
    lags = []
    for line in path.read_text().splitlines():
        if line.startswith("L "):
            _, stamp, lag = line.split()
            if start <= float(stamp) <= end:
                lags.append(float(lag))
    return sorted(lags)


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q / 100 * len(values)))] if values else float("nan")
