"""``wa-agents create-user`` against the embedded SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WA_AGENTS = Path(sys.executable).parent / "wa-agents"


def run(tmp_path: Path, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
    env["WA_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [str(WA_AGENTS), "create-user", *args],
        input=password + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_create_user_then_refuse_a_duplicate_and_a_weak_password(tmp_path: Path) -> None:
    made = run(tmp_path, "bob", "--role", "operator", password="a-long-passphrase")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "user 'bob' created with role operator"
    again = run(tmp_path, "bob", password="a-long-passphrase")
    assert again.returncode == 1 and "already exists" in again.stderr
    weak = run(tmp_path, "carol", password="password1")
    assert weak.returncode == 1
    assert weak.stderr.strip() == "wa-agents: password is too common"
