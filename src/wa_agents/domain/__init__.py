"""The domain core: plain Python entities (``model``) and use cases (``services``)."""
