"""The bridge webhook: signature check, decoding, and hand-over to the domain."""
