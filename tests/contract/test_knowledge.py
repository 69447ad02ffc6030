"""The KnowledgeRepository contract and the messages' index marks, over every storage."""

from wa_agents.testing.contracts.knowledge import (
    KnowledgeRepositoryContract,
    MessageIndexMarksContract,
)


class TestKnowledgeRepository(KnowledgeRepositoryContract):
    pass


class TestMessageIndexMarks(MessageIndexMarksContract):
    pass
