"""Entrypoints: the CLI, the HTTP app, workers; wired by ``container``."""
