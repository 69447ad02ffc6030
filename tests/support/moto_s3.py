"""A local S3 wire-format server: ``moto_server`` (moto in server mode) on loopback.

Started once per test session on a free port; every test uses a bucket of its own, so
tests never see each other's objects. Clients talk real S3 HTTP to it (no patched boto3).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from tests.support.server_process import free_port, terminate

MOTO = Path(sys.executable).parent / "moto_server"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


@dataclass
class S3Server:
    url: str

    @cached_property
    def client(self) -> Any:
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.url,
            region_name=CREDENTIALS["region"],
            aws_access_key_id=CREDENTIALS["access_key"],
            aws_secret_access_key=CREDENTIALS["secret_key"],
        )

    def new_bucket(self) -> str:
        name = f"media-{uuid.uuid4().hex[:12]}"
        self.client.create_bucket(Bucket=name)
        return name


@contextmanager
def moto_server() -> Iterator[S3Server]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="wa-moto-") as folder:
        log_path = Path(folder) / "moto.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
            )
            url = f"http://127.0.0.1:{port}"
            try:
                _wait(process, url, log_path)
                yield S3Server(url)
            finally:
                terminate(process)


def _wait(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto_server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            httpx.get(url + "/moto-api/", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail("moto_server did not answer within 60 s")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    with moto_server() as server:
        yield server
