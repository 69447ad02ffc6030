"""A renderer for the part of kustomize that deploy/k8s uses, for machines without kubectl.

``kubectl kustomize`` renders the overlays when it is installed (the tests prove this renderer
gives the same objects as kubectl wherever both exist). Supported: ``resources`` (files and
folders holding a kustomization), ``namespace``, ``images`` (``newName``/``newTag``),
``labels`` (``pairs`` onto ``metadata.labels``, without selectors or templates) and inline
JSON 6902 ``patches`` with a ``target`` of kind and name (a regular expression). Anything else
is refused, so an overlay that starts to use more fails here instead of rendering wrongly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

Doc = dict[str, Any]
SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "images", "labels", "patches"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume"}


class KustomizeError(Exception):
    pass


def render(folder: Path) -> list[Doc]:
    spec = yaml.safe_load((folder / "kustomization.yaml").read_text()) or {}
    unknown = set(spec) - SUPPORTED
    if unknown:
        raise KustomizeError(f"{folder}: unsupported kustomization fields {sorted(unknown)}")
    docs: list[Doc] = []
    for resource in spec.get("resources", []):
        path = (folder / resource).resolve()
        if path.is_dir():
            docs += render(path)
        else:
            docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    for doc in docs:
        _apply_labels(doc, spec.get("labels", []))
        if "namespace" in spec and doc["kind"] not in CLUSTER_SCOPED:
            doc["metadata"]["namespace"] = spec["namespace"]
        _apply_images(doc, spec.get("images", []))
    for patch in spec.get("patches", []):
        _apply_patch(docs, patch)
    return docs


def _apply_labels(doc: Doc, labels: list[Doc]) -> None:
    for entry in labels:
        if entry.get("includeSelectors") or entry.get("includeTemplates"):
            raise KustomizeError("labels onto selectors or templates are not supported")
        doc["metadata"].setdefault("labels", {}).update(entry["pairs"])


def _containers(doc: Doc) -> list[Doc]:
    pod = doc.get("spec", {}).get("template", {}).get("spec", {})
    return [*pod.get("initContainers", []), *pod.get("containers", [])]


def _apply_images(doc: Doc, images: list[Doc]) -> None:
    for container in _containers(doc):
        name, _, tag = container["image"].partition(":")
        for image in images:
            if image["name"] == name:
                container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"


def _apply_patch(docs: list[Doc], patch: Doc) -> None:
    target, ops = patch["target"], yaml.safe_load(patch["patch"])
    name = re.compile(f"^(?:{target.get('name', '.*')})$")
    matched = [d for d in docs if d["kind"] == target["kind"] and name.match(d["metadata"]["name"])]
    for doc in matched:
        for op in ops:
            _json_patch(doc, op)


def _json_patch(doc: Doc, op: Doc) -> None:
    *parents, last = [
        p.replace("~1", "/").replace("~0", "~") for p in op["path"].lstrip("/").split("/")
    ]
    node: Any = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.get(part)
        if node is None:
            raise KustomizeError(f"patch path {op['path']} does not exist")
    key: Any = int(last) if isinstance(node, list) and last != "-" else last
    exists = key in node if isinstance(node, dict) else isinstance(key, int) and key < len(node)
    if op["op"] in ("replace", "remove") and not exists:
        raise KustomizeError(f"patch path {op['path']} does not exist")
    if op["op"] == "remove":
        del node[key]
    elif op["op"] == "add" and isinstance(node, list):
        node.insert(len(node) if key == "-" else key, op["value"])
    elif op["op"] in ("add", "replace"):
        node[key] = op["value"]
    else:
        raise KustomizeError(f"unsupported patch op {op['op']!r}")
