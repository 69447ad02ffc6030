"""The images: hadolint-clean, and built from files that exist and reach the build.

The root Dockerfile has two targets (``nginx`` and the default ``backend``) so both carry the
same dashboard build; the bridge has its own.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.deploy.dockerfiles import Stage, copies, ignored, stages
from tests.deploy.tools import REPO, hadolint
from wa_agents.entrypoints.http.app import DASHBOARD

# (Dockerfile, its build context)
DOCKERFILES = {
    "root": (REPO / "Dockerfile", REPO),
    "bridge": (REPO / "bridge" / "Dockerfile", REPO / "bridge"),
}
# image -> (Dockerfile, its target stage)
IMAGES = {"backend": ("root", "backend"), "nginx": ("root", "nginx"), "bridge": ("bridge", None)}
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE)", re.IGNORECASE)


def lint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    command = [str(hadolint()), "--no-color", str(dockerfile)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def final(image: str) -> Stage:
    dockerfile, target = IMAGES[image]
    found = stages(DOCKERFILES[dockerfile][0])
    return next(s for s in found if s.name == target) if target else found[-1]


def test_the_default_target_of_the_root_dockerfile_is_the_backend() -> None:
    assert stages(DOCKERFILES["root"][0])[-1].name == "backend"


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_the_dockerfile_is_hadolint_clean(dockerfile: str) -> None:
    result = lint(DOCKERFILES[dockerfile][0])
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_fails_a_bad_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install curl\nUSER root\n")
    result = lint(bad)
    assert result.returncode != 0
    assert "DL3007" in result.stdout and "DL3002" in result.stdout


def sources(dockerfile: Path) -> list[str]:
    found = stages(dockerfile)
    return [s for stage in found for paths, _, src in copies(stage) if not src for s in paths]


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_every_file_a_build_copies_exists_and_is_not_dockerignored(dockerfile: str) -> None:
    path, context = DOCKERFILES[dockerfile]
    wanted = sources(path)
    if any(s.startswith("frontend/") for s in wanted) and not (REPO / "frontend").is_dir():
        wanted = [s for s in wanted if not s.startswith("frontend/")]  # not on this branch yet
    assert wanted
    missing = [s for s in wanted if not (context / s).exists()]
    excluded = [s for s in wanted if ignored(context, s)]
    assert (missing, excluded) == ([], [])


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build() -> None:
    for path in (".env", "frontend/.env.local", ".venv/bin/python", "var/wa_agents.db"):
        assert ignored(REPO, path), path
    for path in ("frontend/node_modules/vue/index.js", "tests/conftest.py", "uv.lock"):
        assert ignored(REPO, path), path
    for path in ("sessions_data/shop/auth/creds.json", "node_modules/x", "test/x.ts", "dist/x"):
        assert ignored(REPO / "bridge", path), path


@pytest.mark.parametrize("image", IMAGES)
def test_the_image_runs_as_a_numeric_non_root_user_with_a_healthcheck(image: str) -> None:
    stage = final(image)
    [user] = stage.args("USER")[-1:]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) > 0, user
    [check] = stage.args("HEALTHCHECK")
    assert re.search(r"http://127\.0\.0\.1:(8000|8080|' \+ \(process\.env\.PORT)", check), check


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_no_secret_is_baked_into_an_image(dockerfile: str) -> None:
    for stage in stages(DOCKERFILES[dockerfile][0]):
        for line in stage.args("ENV") + stage.args("ARG"):
            names = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", line) or [line.split()[0]]
            assert not [n for n in names if SECRET_NAME.search(n)], line


def test_the_backend_installs_only_hashed_requirements_and_finds_its_dashboard() -> None:
    python = next(s for s in stages(DOCKERFILES["root"][0]) if s.name == "python")
    runs = " ".join(python.args("RUN"))
    assert (
        "--require-hashes --no-deps -r /tmp/runtime.txt" in runs
        and "pip check" in runs
        and "--no-deps -e ." in runs
    )
    runtime = final("backend")
    [workdir] = runtime.args("WORKDIR")
    # The app looks for the dashboard at <checkout>/frontend/dist; /app is the checkout here.
    expected = f"{workdir}/{DASHBOARD.relative_to(REPO).as_posix()}"
    assert ([expected], expected, "dashboard") in copies(runtime)
    assert ([workdir], workdir, "python") in copies(runtime)
    assert "WA_DATA_DIR=/data" in " ".join(runtime.args("ENV"))
    assert runtime.args("VOLUME") == ['["/data"]']


def test_the_bridge_runs_its_built_entry_point_with_a_sessions_volume() -> None:
    runtime = final("bridge")
    main = json.loads((REPO / "bridge" / "package.json").read_text())["main"]
    assert json.loads(runtime.args("CMD")[0]) == ["node", main]
    assert "SESSIONS_DATA_PATH=/data/sessions" in " ".join(runtime.args("ENV"))
    assert runtime.args("VOLUME") == ['["/data/sessions"]']
    build = " ".join(stages(DOCKERFILES["bridge"][0])[0].args("RUN"))
    assert "npm ci" in build and "npm run build" in build and "npm prune --omit=dev" in build


def test_nginx_is_the_unprivileged_image_with_the_dashboard_and_its_config() -> None:
    runtime = final("nginx")
    assert runtime.base.startswith("nginxinc/nginx-unprivileged:")
    targets = {destination for _, destination, _ in copies(runtime)}
    assert {"/usr/share/nginx/html", "/etc/nginx/templates/", "/etc/nginx/snippets/"} <= targets
    assert (["/app/frontend/dist"], "/usr/share/nginx/html", "dashboard") in copies(runtime)
