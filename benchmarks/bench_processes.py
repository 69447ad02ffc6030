"""Child processes of a benchmark run: the server under test, fakes, CPU accounting."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from tests.support.server_process import free_port

from benchmarks.bench_constants import ROOT


# -- child processes ---------------------------------------------------------------------------
class Children:
    """Every process the benchmark starts; ``close`` ends them all (stdin first, then signals)."""

    def __init__(self, workdir: Path) -> None:
        self._procs: list[subprocess.Popen[bytes]] = []
        self._workdir = workdir

    def start(self, command: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(  # type: ignore[call-overload]
            command, cwd=ROOT, start_new_session=True, **kwargs
        )
        self._procs.append(proc)
        return proc  # type: ignore[no-any-return]

    def fake(self, mode: str, *args: str) -> tuple[subprocess.Popen[bytes], str]:
        command = [sys.executable, "-m", "benchmarks.fakes", mode, *args]
        with (self._workdir / f"{mode}-{len(self._procs)}.log").open("ab") as log:
            proc = self.start(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        assert proc.stdout is not None
        url = proc.stdout.readline().decode().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"benchmarks.fakes {mode} did not start")
        return proc, url

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc in self._procs:
            self._procs.remove(proc)

    def pids(self) -> list[int]:
        return [proc.pid for proc in self._procs if proc.poll() is None]

    def close(self) -> None:
        for proc in reversed(self._procs[:]):
            self.stop(proc)


class Server:
    """``wa-agents serve`` (through ``benchmarks.probe``), restartable with other settings."""

    def __init__(self, children: Children, env: dict[str, str], workdir: Path) -> None:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
        self.children, self.env, self.workdir = children, {**base, **env}, workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.probe = workdir / "probe.log"
        self.log = workdir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, **overrides: str) -> None:
        env = {**self.env, **overrides, "BENCH_PROBE_FILE": str(self.probe)}
        command = [sys.executable, "-m", "benchmarks.probe", "serve"]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.proc = self.children.start(command, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"the server did not come up: see {self.log}")

    def stop(self) -> None:
        if self.proc is not None:
            self.children.stop(self.proc)
            self.proc = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def cpu_seconds(self) -> float:
        return _proc_cpu(self.proc.pid) if self.proc else 0.0


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu() -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres":
                    total += _proc_cpu(int(entry.name))
    return total


def _machine_cpu() -> float:
    """Busy CPU seconds over all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


class Usage:
    """CPU use over a phase, in % of one core: the server process, PostgreSQL (every
    backend on the host), the benchmark (this load generator and the fakes), everything else,
    and the whole machine (100% per core)."""

    def __init__(self, server: Server, children: Children) -> None:
        self.server, self.children = server, children
        self.shares: dict[str, float] = {}
        self.server_seconds = 0.0

    def _sample(self) -> dict[str, float]:
        ours = sum(_proc_cpu(pid) for pid in self.children.pids() if pid != self.server.pid)
        return {
            "time": time.monotonic(),
            "server": self.server.cpu_seconds(),
            "postgres": _postgres_cpu(),
            "bench": ours + sum(os.times()[:2]),
            "machine": _machine_cpu(),
        }

    def __enter__(self) -> Usage:
        self._start = self._sample()
        return self

    def __exit__(self, *exc: object) -> None:
        end = self._sample()
        elapsed = end["time"] - self._start["time"]
        used = {k: end[k] - self._start[k] for k in end if k != "time"}
        self.server_seconds = used["server"]
        self.shares = {k: v / elapsed * 100 for k, v in used.items()}
        self.shares["others"] = self.shares["machine"] - sum(
            self.shares[k] for k in ("server", "postgres", "bench")
        )

    def __str__(self) -> str:
        s = self.shares
        return (
            f"{s['server']:.0f} / {s['postgres']:.0f} / {s['bench']:.0f} / {s['others']:.0f}"
            f" / {s['machine']:.0f}"
        )


CPU_HEADER = "CPU % server / postgres / bench / others / machine"
