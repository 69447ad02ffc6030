"""The layering rule, checked two ways: our own AST scan and import-linter's contracts."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "wa_agents"
STDLIB = set(sys.stdlib_module_names) | {"__future__"}
CORE_MAY_IMPORT = {
    "domain/model": ("wa_agents.domain.model",),
    "domain/services": ("wa_agents.domain", "wa_agents.ports"),
    "ports": ("wa_agents.domain.model", "wa_agents.ports"),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("part", sorted(CORE_MAY_IMPORT))
def test_the_core_imports_only_the_standard_library_and_inner_layers(part: str) -> None:
    allowed = CORE_MAY_IMPORT[part]
    offences = [
        f"{path.relative_to(SRC)}:{line} imports {name}"
        for path in sorted((SRC / part).rglob("*.py"))
        for line, name in imports_of(path)
        if name.split(".")[0] not in STDLIB and not name.startswith(allowed)
    ]
    assert offences == []


def test_the_scan_would_catch_an_offence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom wa_agents.adapters.memory import x\nimport json\n")
    names = [name for _, name in imports_of(bad) if name.split(".")[0] not in STDLIB]
    assert names == ["sqlalchemy", "wa_agents.adapters.memory"]


def test_only_the_container_names_concrete_adapters() -> None:
    offences = [
        f"{path.relative_to(SRC)}:{line}"
        for path in sorted((SRC / "entrypoints").rglob("*.py"))
        if path.name != "container.py"
        for line, name in imports_of(path)
        if name.startswith("wa_agents.adapters")
    ]
    assert offences == []


def test_import_linter_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a dev dependency: install it"
    result = subprocess.run([lint], capture_output=True, text=True, cwd=SRC.parents[1], check=False)
    assert result.returncode == 0, result.stdout + result.stderr
