"""msgspec structs: what the HTTP API reads and writes, converted at the edge."""
