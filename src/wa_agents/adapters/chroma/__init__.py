"""The vector index on chromadb (embedded ``PersistentClient``, or ``HttpClient`` to a server).

Importing this package does not import chromadb: that happens when an index is first used.
"""

from wa_agents.adapters.chroma.vector_index import ChromaVectorIndex

__all__ = ["ChromaVectorIndex"]
