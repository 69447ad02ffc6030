"""deploy/prometheus: the alert rules parse, are complete, and use only metrics we expose."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.deploy.metric_names import METRICS
from tests.deploy.rules import problems
from tests.deploy.tools import REPO

PROMETHEUS = REPO / "deploy" / "prometheus"


def load(name: str) -> Any:
    return yaml.safe_load((PROMETHEUS / name).read_text())


def rules() -> list[dict[str, Any]]:
    return [rule for group in load("alerts.yml")["groups"] for rule in group["rules"]]


def test_the_rule_file_has_no_problem() -> None:
    assert problems(load("alerts.yml")) == []


@pytest.mark.parametrize(
    "needed",
    [
        r"^up\{",
        r"wa_http_request_duration_seconds_count\{status=~\"5\.\.\"\}",
        r"wa_job_oldest_age_seconds",
        r"wa_jobs_dead",
        r"wa_sessions\{status=",
        r"wa_bridge_webhook_queue_oldest_age_seconds",
    ],
    ids=["health", "error-rate", "queue-age", "dead-jobs", "disconnected", "webhook-backlog"],
)
def test_the_issue_s_alerts_are_all_there(needed: str) -> None:
    assert [r for r in rules() if re.search(needed, r["expr"].strip())], needed


def test_every_job_the_scrape_config_names_is_watched_for_health() -> None:
    [health] = [r for r in rules() if r["expr"].startswith("up{")]
    pattern = re.search(r'job=~"([^"]+)"', health["expr"]).group(1)  # type: ignore[union-attr]
    jobs = [job["job_name"] for job in load("prometheus.yml")["scrape_configs"]]
    assert jobs and all(re.fullmatch(pattern, job) for job in jobs)
    assert load("prometheus.yml")["rule_files"] == ["alerts.yml"]


def one_rule(**changes: Any) -> dict[str, Any]:
    rule = {
        "alert": "X",
        "expr": "max by (kind) (wa_jobs_dead) > 0",
        "for": "5m",
        "labels": {"severity": "warning"},
        "annotations": {"summary": "{{ $labels.kind }}"},
    }
    rule.update(changes)
    return {"groups": [{"name": "g", "rules": [{k: v for k, v in rule.items() if v is not None}]}]}


def test_a_good_rule_passes_the_checker() -> None:
    assert problems(one_rule()) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            {"expr": "sum(rate(wa_http_requests_total[5m])) > 1"},
            "unknown series 'wa_http_requests_total'",
        ),
        ({"expr": 'sum(wa_sessions{state="x"}) > 0'}, "wa_sessions has no label 'state'"),
        ({"expr": "max by (agent) (wa_jobs_dead) > 0"}, "grouping by 'agent'"),
        ({"expr": "sum(wa_jobs_dead) > 0"}, "template uses $labels.kind"),
        ({"expr": "sum(rate(wa_jobs_dead[5m]) > 0"}, "does not parse"),
        ({"for": "5 minutes"}, "does not parse"),
        ({"for": None}, "no for"),
        ({"labels": {"severity": "page"}}, "labels.severity"),
        ({"annotations": {"description": "x"}}, "no annotations.summary"),
        ({"record": "x"}, "unexpected key 'record'"),
    ],
)
def test_the_checker_finds_a_broken_rule(changes: dict[str, Any], problem: str) -> None:
    found = problems(one_rule(**changes))
    assert any(problem in p for p in found), found


def test_the_metric_list_names_the_issue_s_metrics() -> None:
    assert len(METRICS) == 20
    assert all(name.startswith("wa_") for name in METRICS)
