"""One controller per resource of DESIGN §6."""
