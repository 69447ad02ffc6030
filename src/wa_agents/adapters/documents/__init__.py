"""Document readers: PDF through pypdf, on top of the plain text/Markdown/HTML reader."""

from wa_agents.adapters.documents.pdf import PypdfDocumentReader

__all__ = ["PypdfDocumentReader"]
