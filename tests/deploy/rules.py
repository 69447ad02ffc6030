"""A checker for Prometheus alerting-rule files, with a real PromQL parser (PyPI promql-parser).

``promtool`` is not to be had from PyPI or npm here, so this does what matters of its job:
the structure of every rule, expressions that parse, durations, and — beyond promtool — that
every series, matcher label, grouping label and ``$labels.x`` in a template exists.
"""

from __future__ import annotations

import re
from typing import Any

import promql_parser as promql

from tests.deploy.metric_names import series

RULE_KEYS = {"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
SEVERITIES = {"warning", "critical"}
_TEMPLATE_LABEL = re.compile(r"\$labels\.([A-Za-z_][A-Za-z0-9_]*)")
_KEEPS_LABELS = {"rate", "irate", "increase", "delta", "deriv", "abs", "clamp_min", "clamp_max"}


def labels_of(node: Any, known: dict[str, tuple[str, ...]], found: list[str]) -> set[str]:
    """The labels a (sub)expression's result carries; unknown names are added to ``found``."""
    if isinstance(node, promql.VectorSelector):
        name = node.name or next(
            (m.value for m in node.matchers.matchers if m.name == "__name__"), ""
        )
        if name not in known:
            found.append(f"unknown series {name!r}")
            return set()
        for matcher in node.matchers.matchers:
            if matcher.name not in (*known[name], "__name__"):
                found.append(f"{name} has no label {matcher.name!r}")
        return set(known[name])
    if isinstance(node, promql.MatrixSelector):
        return labels_of(node.vector_selector, known, found)
    if isinstance(node, promql.AggregateExpr):
        inner = labels_of(node.expr, known, found)
        grouping = set(node.modifier.labels) if node.modifier else set()
        for label in grouping - inner:
            found.append(f"grouping by {label!r}, which the aggregated series lack")
        if node.modifier and node.modifier.type == promql.AggModifierType.Without:
            return inner - grouping
        return grouping
    if isinstance(node, promql.Call):
        results = [labels_of(arg, known, found) for arg in node.args]
        if node.func.name == "histogram_quantile":
            return results[-1] - {"le"}
        return results[-1] if node.func.name in _KEEPS_LABELS else set()
    if isinstance(node, promql.BinaryExpr):
        lhs, rhs = labels_of(node.lhs, known, found), labels_of(node.rhs, known, found)
        return rhs if isinstance(node.lhs, promql.NumberLiteral) else lhs
    if isinstance(node, (promql.ParenExpr, promql.UnaryExpr, promql.SubqueryExpr)):
        return labels_of(node.expr, known, found)
    return set()


def rule_problems(rule: dict[str, Any], known: dict[str, tuple[str, ...]]) -> list[str]:
    found = [f"unexpected key {k!r}" for k in rule.keys() - RULE_KEYS]
    for key in ("alert", "expr", "for"):
        if not rule.get(key):
            found.append(f"no {key}")
    if rule.get("labels", {}).get("severity") not in SEVERITIES:
        found.append(f"labels.severity must be one of {sorted(SEVERITIES)}")
    annotations = rule.get("annotations", {})
    if not annotations.get("summary"):
        found.append("no annotations.summary")
    try:
        promql.parse_duration(str(rule.get("for", "")))
        result = labels_of(promql.parse(str(rule.get("expr", ""))), known, found)
    except ValueError as exc:
        return [*found, f"does not parse: {exc}"]
    for text in annotations.values():
        found += [
            f"template uses $labels.{x}, not in the result"
            for x in _TEMPLATE_LABEL.findall(text)
            if x not in result
        ]
    return found


def problems(document: Any) -> list[str]:
    """Everything wrong with a rule file (an empty list: nothing)."""
    if not isinstance(document, dict) or not isinstance(document.get("groups"), list):
        return ["a rule file is a mapping with a list of groups"]
    found, names, known = [], set(), series()
    for group in document["groups"]:
        if not group.get("name") or not group.get("rules"):
            found.append(f"group {group.get('name')!r} needs a name and rules")
            continue
        for rule in group["rules"]:
            name = rule.get("alert", "?")
            if name in names:
                found.append(f"{name}: the alert name is used twice")
            names.add(name)
            found += [f"{name}: {problem}" for problem in rule_problems(rule, known)]
    return found
