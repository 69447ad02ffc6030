"""docs/operations.md names only files, commands and alerts that exist."""

from __future__ import annotations

import re

import yaml

from tests.deploy.tools import REPO
from wa_agents.entrypoints.cli import _parser

DOC = (REPO / "docs" / "operations.md").read_text()


def test_every_file_the_page_names_exists() -> None:
    named = set(
        re.findall(
            r"`((?:deploy|bridge|tests|docs)/[\w./-]+|Dockerfile|\.env\.example"
            r"|docker-compose(?:\.prod)?\.yml)`",
            DOC,
        )
    )
    assert len(named) > 10
    assert sorted(n for n in named if not (REPO / n).exists()) == []


def test_every_wa_agents_command_the_page_uses_exists() -> None:
    # As a command: at a line's start, in backticks, or after "run" (not `-n wa-agents`).
    found = re.findall(r"(?:^|`|\brun )wa-agents (\w[\w-]*)", DOC, re.MULTILINE)
    commands = set(found) - {"backend", "bridge", "nginx"}
    subparsers = next(a for a in _parser()._actions if a.dest == "command")
    assert commands and commands <= set(subparsers.choices), commands


def test_every_alert_rule_is_in_the_page() -> None:
    rules = yaml.safe_load((REPO / "deploy" / "prometheus" / "alerts.yml").read_text())
    alerts = {r["alert"] for g in rules["groups"] for r in g["rules"]}
    assert sorted(a for a in alerts if f"`{a}`" not in DOC) == []


def test_the_readme_links_the_page() -> None:
    assert "(docs/operations.md)" in (REPO / "README.md").read_text()
