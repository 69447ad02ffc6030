"""WhatsApp JIDs: one normaliser for the whole code base.

A JID is ``user@server``. Phone users live on ``s.whatsapp.net`` (and may carry a device suffix,
``5511999:12@s.whatsapp.net``), groups on ``g.us``, privacy-preserving ids on ``lid``. Bare
digits (optionally with ``+``, spaces or dashes) are taken as a phone number.
"""

from __future__ import annotations

import re

from wa_agents.domain.model.errors import ValidationError

USER_SERVER = "s.whatsapp.net"
GROUP_SERVER = "g.us"
LID_SERVER = "lid"
KNOWN_SERVERS = frozenset({USER_SERVER, GROUP_SERVER, LID_SERVER, "broadcast", "newsletter"})
CHAT_SERVERS = frozenset({USER_SERVER, GROUP_SERVER, LID_SERVER})  # someone who can be answered

_PHONE_PUNCTUATION = re.compile(r"[\s\-().+]")
_USER_PART = re.compile(r"^[0-9]{1,20}$")
_GROUP_PART = re.compile(r"^[0-9]{1,20}(-[0-9]{1,20})?$")


def normalize_jid(raw: str) -> str:
    """Return the canonical form of ``raw`` or raise ``ValidationError``.

    The device suffix is dropped, the server is lower-cased, and ``c.us`` (the legacy server)
    becomes ``s.whatsapp.net``. Group, ``@lid`` and phone JIDs stay distinct.
    """
    text = raw.strip()
    if not text:
        raise ValidationError("empty JID")
    if "@" not in text:
        digits = _PHONE_PUNCTUATION.sub("", text)
        if not _USER_PART.fullmatch(digits):
            raise ValidationError(f"not a phone number or JID: {raw!r}")
        return f"{digits}@{USER_SERVER}"
    user, _, server = text.rpartition("@")
    server = server.lower()
    if server == "c.us":
        server = USER_SERVER
    if server not in KNOWN_SERVERS:
        raise ValidationError(f"unknown JID server in {raw!r}")
    user = user.split(":", 1)[0]
    if server in (USER_SERVER, LID_SERVER):
        user = user.split("_", 1)[0]
        if not _USER_PART.fullmatch(user):
            raise ValidationError(f"bad user part in JID {raw!r}")
    elif server == GROUP_SERVER and not _GROUP_PART.fullmatch(user):
        raise ValidationError(f"bad group id in JID {raw!r}")
    elif not user:
        raise ValidationError(f"bad JID {raw!r}")
    return f"{user}@{server}"


def is_chat(jid: str) -> bool:
    """A person or a group one talks with; not ``status@broadcast``, a broadcast list or a
    newsletter (those are never answered, whichever bridge or route they came by)."""
    return jid.rpartition("@")[2] in CHAT_SERVERS


def is_group(jid: str) -> bool:
    return jid.endswith("@" + GROUP_SERVER)


def phone_of(jid: str) -> str | None:
    """The phone digits of a user JID, or None for groups and ``@lid`` ids."""
    user, _, server = jid.partition("@")
    return user if server == USER_SERVER else None
