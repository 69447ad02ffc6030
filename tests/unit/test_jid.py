from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.jid import is_group, normalize_jid, phone_of

digits = st.text("0123456789", min_size=1, max_size=15)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5511987654321:12@s.whatsapp.net", "5511987654321@s.whatsapp.net"),
        ("5511987654321@s.whatsapp.net", "5511987654321@s.whatsapp.net"),
        ("5511987654321@c.us", "5511987654321@s.whatsapp.net"),
        ("+55 (11) 98765-4321", "5511987654321@s.whatsapp.net"),
        ("120363025246125888@g.us", "120363025246125888@g.us"),
        ("5511987654321-1612345678@g.us", "5511987654321-1612345678@g.us"),
        ("123456789012345:3@lid", "123456789012345@lid"),
        ("5511987654321@S.WhatsApp.NET", "5511987654321@s.whatsapp.net"),
    ],
)
def test_known_forms(raw: str, expected: str) -> None:
    assert normalize_jid(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "  ", "abc", "55@evil.com", "x@s.whatsapp.net", "@g.us", "a:b@lid"]
)
def test_bad_input_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalize_jid(raw)


@given(user=digits, device=st.integers(0, 99), server=st.sampled_from(["s.whatsapp.net", "lid"]))
def test_device_suffix_never_changes_identity(user: str, device: int, server: str) -> None:
    assert normalize_jid(f"{user}:{device}@{server}") == normalize_jid(f"{user}@{server}")


@given(
    raw=st.one_of(
        digits,
        digits.map(lambda d: d + "@s.whatsapp.net"),
        digits.map(lambda d: d + "@g.us"),
        digits.map(lambda d: d + ":7@lid"),
    )
)
def test_normalising_is_idempotent(raw: str) -> None:
    once = normalize_jid(raw)
    assert normalize_jid(once) == once


@given(user=digits)
def test_servers_stay_distinct(user: str) -> None:
    forms = {normalize_jid(f"{user}@{s}") for s in ("s.whatsapp.net", "g.us", "lid")}
    assert len(forms) == 3
    assert is_group(normalize_jid(f"{user}@g.us"))
    assert phone_of(normalize_jid(user)) == user
    assert phone_of(normalize_jid(f"{user}@lid")) is None


@given(st.text(max_size=40))
def test_any_text_is_normalised_or_refused_cleanly(raw: str) -> None:
    try:
        result = normalize_jid(raw)
    except ValidationError:
        return
    assert result.count("@") == 1 and ":" not in result
