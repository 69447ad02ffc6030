"""The JobOutbox and JobQueue contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.jobs import (
    JobQueueContract,
)


class TestJobQueue(JobQueueContract):
    pass
