"""Builders for tests: the ones the contract suite ships, re-exported."""

from wa_agents.testing.factories import (
    T0,
    at,
    make_agent,
    make_audit,
    make_log,
    make_message,
    make_refresh_token,
    make_session,
    make_user,
)

__all__ = [
    "T0",
    "at",
    "make_agent",
    "make_audit",
    "make_log",
    "make_message",
    "make_refresh_token",
    "make_session",
    "make_user",
]
