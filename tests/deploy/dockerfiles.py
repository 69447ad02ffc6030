"""Just enough of a Dockerfile and .dockerignore reader to check what no engine builds here."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Stage:
    base: str
    name: str | None
    steps: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        return [rest for key, rest in self.steps if key == keyword]


def stages(dockerfile: Path) -> list[Stage]:
    """The build stages, each with its instructions (continuations joined, comments dropped)."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    found: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            base, _, name = rest.partition(" AS ")
            found.append(Stage(base.strip(), name.strip() or None))
        elif found:
            found[-1].steps.append((keyword, rest))
    return found


def copies(stage: Stage) -> list[tuple[list[str], str, str | None]]:
    """Each COPY as (sources, destination, --from stage or None)."""
    result = []
    for rest in stage.args("COPY"):
        words = shlex.split(rest)
        flags = dict(w[2:].split("=", 1) for w in words if w.startswith("--") and "=" in w)
        paths = [w for w in words if not w.startswith("--")]
        result.append((paths[:-1], paths[-1], flags.get("from")))
    return result


def _regex(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*|\*|\?)", pattern)
    wild = {"**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wild.get(p, re.escape(p)) for p in parts))


def ignored(context: Path, relative: str) -> bool:
    """Docker's rule: the last matching line wins; a line matching a parent dir matches too."""
    file = context / ".dockerignore"
    lines = [ln.strip() for ln in file.read_text().splitlines()] if file.is_file() else []
    path = relative.strip("/").split("/")
    verdict = False
    for line in lines:
        if not line or line.startswith("#"):
            continue
        negated, pattern = line.startswith("!"), _regex(line.lstrip("!").strip("/"))
        if any(pattern.fullmatch("/".join(path[:n])) for n in range(1, len(path) + 1)):
            verdict = not negated
    return verdict
