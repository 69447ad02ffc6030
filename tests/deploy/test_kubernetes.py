"""deploy/k8s: the overlays render (real kustomize, `kubectl kustomize`, where the machine has
it; else ``tests/deploy/kustomize_subset.py``, proven equal to kubectl's output wherever both
exist), every object passes the Kubernetes strict JSON schemas (PyPI ``kubernetes-validate``,
pinned to one version), and the objects fit together: selectors, Services, probes, limits,
non-root, Secrets only referenced.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy.kustomize_subset import KustomizeError, render
from tests.deploy.tools import REPO

K8S = REPO / "deploy" / "k8s"
KUBERNETES_VERSION = "1.31.0"
OVERLAYS = ["dev", "prod"]
Doc = dict[str, Any]


KUBECTL = shutil.which("kubectl")


def kustomize(folder: Path) -> subprocess.CompletedProcess[str]:
    assert KUBECTL is not None
    command = [KUBECTL, "kustomize", str(folder)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def by_kubectl(folder: Path) -> list[Doc]:
    result = kustomize(folder)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@cache
def rendered(overlay: str) -> list[Doc]:
    folder = K8S / "overlays" / overlay
    return by_kubectl(folder) if KUBECTL else render(folder)


def _sorted(docs: list[Doc]) -> list[Doc]:
    return sorted(docs, key=lambda d: (d["kind"], d["metadata"]["name"]))


@pytest.mark.skipif(KUBECTL is None, reason="needs kubectl to compare with")
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_subset_renderer_matches_kubectl(overlay: str) -> None:
    folder = K8S / "overlays" / overlay
    assert _sorted(render(folder)) == _sorted(by_kubectl(folder))


def find(docs: list[Doc], kind: str, name: str) -> Doc:
    [doc] = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    return doc


def pod_specs(docs: list[Doc]) -> Iterator[tuple[str, Doc]]:
    for doc in docs:
        if doc["kind"] in ("Deployment", "StatefulSet", "Job"):
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]


def validate(doc: Doc) -> None:
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_passes_the_strict_kubernetes_schemas(overlay: str) -> None:
    docs = rendered(overlay)
    assert len(docs) >= 14
    for doc in docs:
        validate(doc)


def test_the_example_secret_passes_the_schema_and_holds_only_placeholders() -> None:
    secret = yaml.safe_load((K8S / "secret.example.yaml").read_text())
    validate(secret)
    assert all("CHANGE-ME" in v or v.startswith("redis://") for v in secret["stringData"].values())


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["spec", "replicas"], "two", "is not of type"),
        (["spec", "template", "spec", "containers", 0, "livenessProbes"], {}, "unexpected"),
        (
            ["spec", "template", "spec", "containers", 0, "resources", "limits", "cpu"],
            [1],
            "not valid",
        ),
    ],
    ids=["wrong-type", "unknown-field", "bad-quantity"],
)
def test_a_broken_manifest_fails_the_schemas(path: list[Any], value: Any, message: str) -> None:
    broken = copy.deepcopy(find(rendered("prod"), "Deployment", "wa-agents-backend"))
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(kubernetes_validate.ValidationError, match=message):
        validate(broken)


def test_a_broken_kustomization_does_not_render(tmp_path: Path) -> None:
    shutil.copytree(K8S, tmp_path / "k8s")
    broken = tmp_path / "k8s" / "overlays" / "broken"
    broken.mkdir()
    (broken / "kustomization.yaml").write_text(
        "resources:\n  - ../../base\npatches:\n  - target:\n      kind: Deployment\n"
        "      name: wa-agents-backend\n    patch: |-\n      - op: replace\n"
        "        path: /spec/no/such/field\n        value: 1\n"
    )
    with pytest.raises(KustomizeError, match="/spec/no/such/field"):
        render(broken)
    if KUBECTL:
        result = kustomize(broken)
        assert result.returncode != 0 and "/spec/no/such/field" in result.stderr


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_workloads_of_the_design_are_there(overlay: str) -> None:
    docs = rendered(overlay)
    for name in ("wa-agents-backend", "wa-agents-worker", "wa-agents-frontend"):
        find(docs, "Deployment", name)
    bridge = find(docs, "StatefulSet", "wa-agents-bridge")
    assert bridge["spec"]["replicas"] == 1, "one pod owns the sessions"
    assert bridge["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "sessions"
    assert find(docs, "Service", bridge["spec"]["serviceName"])["spec"]["clusterIP"] == "None"
    job = find(docs, "Job", "wa-agents-migrate")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]
    hpa = find(docs, "HorizontalPodAutoscaler", "wa-agents-worker")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "wa-agents-worker",
    }
    assert {d["metadata"]["name"] for d in docs if d["kind"] == "PodDisruptionBudget"} >= {
        "wa-agents-backend"
    }


def labels_of(docs: list[Doc]) -> dict[str, dict[str, str]]:
    return {
        d["metadata"]["name"]: d["spec"]["template"]["metadata"]["labels"]
        for d in docs
        if d["kind"] in ("Deployment", "StatefulSet")
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_services_pdbs_and_selectors_point_at_real_pods(overlay: str) -> None:
    docs = rendered(overlay)
    pods = labels_of(docs)
    for doc in docs:
        if doc["kind"] in ("Deployment", "StatefulSet"):
            selector = doc["spec"]["selector"]["matchLabels"]
            assert selector.items() <= pods[doc["metadata"]["name"]].items()
        if doc["kind"] in ("Service", "PodDisruptionBudget"):
            spec = doc["spec"]
            selector = spec["selector"].get("matchLabels", spec["selector"])
            matched = [n for n, labels in pods.items() if selector.items() <= labels.items()]
            assert len(matched) == 1, (doc["kind"], doc["metadata"]["name"], matched)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_ingress_routes_to_existing_service_ports(overlay: str) -> None:
    docs = rendered(overlay)
    ingress = find(docs, "Ingress", "wa-agents")
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            service = path["backend"]["service"]
            ports = {p["name"] for p in find(docs, "Service", service["name"])["spec"]["ports"]}
            assert service["port"]["name"] in ports
    routes = {
        p["path"]: p["backend"]["service"]["name"]
        for p in ingress["spec"]["rules"][0]["http"]["paths"]
    }
    assert routes == {
        "/api": "wa-agents-backend",
        "/schema": "wa-agents-backend",
        "/": "wa-agents-frontend",
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_backend_is_probed_on_health_and_ready(overlay: str) -> None:
    spec = find(rendered(overlay), "Deployment", "wa-agents-backend")["spec"]["template"]["spec"]
    [container] = spec["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["startupProbe"]["httpGet"]["path"] == "/health"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_is_non_root_limited_and_drops_all_capabilities(overlay: str) -> None:
    writable_root = {"wa-agents-chromadb"}  # third-party image: see chromadb.yaml
    for name, spec in pod_specs(rendered(overlay)):
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] > 0, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec["containers"]:
            context, resources = container["securityContext"], container["resources"]
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            assert context["readOnlyRootFilesystem"] is (name not in writable_root), name
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= resources[kind].keys(), (name, kind)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_referenced_never_inlined(overlay: str) -> None:
    docs = rendered(overlay)
    assert [d for d in docs if d["kind"] == "Secret"] == []
    config = find(docs, "ConfigMap", "wa-agents-config")["data"]
    assert not [k for k in config if any(w in k for w in ("SECRET", "KEY", "PASSWORD", "TOKEN"))]
    assert not any("://" in v and "@" in v for v in config.values()), "a URL with credentials"
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            for env in container.get("env", []):
                if any(w in env["name"] for w in ("SECRET", "KEY", "PASSWORD", "TOKEN")):
                    assert "secretKeyRef" in env["valueFrom"], (name, env["name"])
            if name in ("wa-agents-backend", "wa-agents-worker", "wa-agents-migrate"):
                refs = [e["secretRef"]["name"] for e in container["envFrom"] if "secretRef" in e]
                assert refs == ["wa-agents-secrets"], name


def test_no_kustomization_includes_the_example_secret() -> None:
    for kustomization in K8S.rglob("kustomization.yaml"):
        resources = yaml.safe_load(kustomization.read_text()).get("resources", [])
        assert not [r for r in resources if "secret" in r], kustomization


def test_the_overlays_differ_where_they_should() -> None:
    dev, prod = rendered("dev"), rendered("prod")
    assert {d["metadata"].get("namespace") for d in dev} == {"wa-agents-dev"}
    assert {d["metadata"].get("namespace") for d in prod} == {"wa-agents"}
    assert find(dev, "Deployment", "wa-agents-backend")["spec"]["replicas"] == 1
    assert find(prod, "Deployment", "wa-agents-backend")["spec"]["replicas"] == 3
    config = find(prod, "ConfigMap", "wa-agents-config")["data"]
    assert config["WA_VECTOR_STORE"] == "chroma"
    chroma = config["WA_CHROMA_URL"].removeprefix("http://").split(":")[0]
    find(prod, "Service", chroma)
    assert find(prod, "Ingress", "wa-agents")["spec"]["tls"][0]["secretName"] == "wa-agents-tls"
    bridge_host = find(dev, "ConfigMap", "wa-agents-config")["data"]["WA_BRIDGE_URL"]
    pod, service = bridge_host.removeprefix("http://").split(":")[0].split(".")
    assert pod == "wa-agents-bridge-0" and find(dev, "StatefulSet", service)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_api_and_worker_pods_share_one_chromadb_server(overlay: str) -> None:
    """An embedded index per pod would split the knowledge: a document indexed by a worker pod
    would never be found by an API pod. Every overlay points both at the chromadb Service."""
    docs = rendered(overlay)
    config = find(docs, "ConfigMap", "wa-agents-config")["data"]
    assert config["WA_VECTOR_STORE"] == "chroma"
    host, port = config["WA_CHROMA_URL"].removeprefix("http://").split(":")
    service = find(docs, "Service", host)
    assert int(port) in {p["port"] for p in service["spec"]["ports"]}
    find(docs, "StatefulSet", "wa-agents-chromadb")
