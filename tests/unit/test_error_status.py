"""Every domain error maps to a 4xx with its message; only infrastructure failures are 503."""

from wa_agents.domain.model.errors import DomainError, InfrastructureError, NotFound
from wa_agents.domain.model.knowledge import DimensionMismatch
from wa_agents.entrypoints.http.errors import status_of


class _SomeRuleBroken(DomainError):
    pass


def test_a_vector_index_built_by_another_embedder_is_a_conflict_not_a_server_error() -> None:
    assert status_of(DimensionMismatch(384, 256)) == 409


def test_a_domain_error_without_its_own_status_is_unprocessable_not_500() -> None:
    assert status_of(_SomeRuleBroken("no")) == 422


def test_specific_statuses_win_over_the_fallback() -> None:
    assert status_of(NotFound("agent", "x")) == 404
    assert status_of(InfrastructureError("down")) == 503
