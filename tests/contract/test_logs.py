"""The LogRepository and AuditRepository contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.logs import (
    AuditRepositoryContract,
    LogRepositoryContract,
)


class TestLogRepository(LogRepositoryContract):
    pass


class TestAuditRepository(AuditRepositoryContract):
    pass
