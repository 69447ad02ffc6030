"""Entities, value objects, state machines and policies. Standard library only."""
