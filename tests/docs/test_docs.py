"""The documentation's examples run, exactly as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def python_blocks(name: str) -> list[str]:
    return BLOCK.findall((DOCS / name).read_text())


def test_the_embedding_example_runs_and_prints_the_replies(tmp_path: Path) -> None:
    [example] = python_blocks("embedding.md")
    script = tmp_path / "example.py"
    script.write_text(example)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "(scripted demo reply) You said: hello!"


def run_adapter_example(
    folder: Path, adapter: str, test_module: str
) -> subprocess.CompletedProcess[str]:
    """The two files of docs/adapters.md in a folder of their own, run by pytest there."""
    (folder / "my_llm_adapter.py").write_text(adapter)
    (folder / "test_my_llm_adapter.py").write_text(test_module)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-o", "asyncio_mode=auto", "--rootdir", str(folder), str(folder)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=folder, check=False
    )


def test_the_adapter_example_passes_the_contract_suite(tmp_path: Path) -> None:
    result = run_adapter_example(tmp_path, *python_blocks("adapters.md"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b4 passed\b", result.stdout), result.stdout


def test_a_broken_adapter_fails_the_contract_suite(tmp_path: Path) -> None:
    adapter, test_module = python_blocks("adapters.md")
    leaky = 'raise RuntimeError("leaked")'
    broken = adapter.replace('raise LLMUnavailable("in-house LLM is down")', leaky)
    result = run_adapter_example(tmp_path, broken, test_module)
    assert result.returncode == 1
    assert "1 failed, 3 passed" in result.stdout
