"""The outbound rules: which URLs, hosts and addresses may be reached."""

from __future__ import annotations

import pytest

from wa_agents.domain.model.errors import DomainError
from wa_agents.domain.model.outbound import (
    OutboundRefused,
    OutboundRules,
    address_allowed,
    check_url,
    host_allowed,
    parse_networks,
    redirect_target,
)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # AWS/GCP/Azure metadata
        "100.100.100.200",  # Alibaba metadata, in the shared (CGNAT) range
        "0.0.0.0",
        "255.255.255.255",
        "224.0.0.1",
        "192.0.2.10",  # documentation
        "::1",
        "::",
        "fe80::1",
        "fd00:ec2::254",  # AWS metadata over IPv6
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "ff02::1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not address_allowed(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:2800:220:1::1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_allowed(address)


def test_an_admin_cidr_allows_a_private_range_and_nothing_else() -> None:
    allowed = parse_networks(["127.0.0.1/32", " 10.9.0.0/16 "])
    assert address_allowed("127.0.0.1", allowed)
    assert address_allowed("10.9.8.7", allowed)
    assert address_allowed("::ffff:10.9.8.7", allowed)
    assert not address_allowed("127.0.0.2", allowed)
    assert not address_allowed("10.10.0.1", allowed)


def test_a_bad_cidr_is_a_clear_error() -> None:
    with pytest.raises(DomainError, match="CIDR"):
        parse_networks(["10.0.0.0/99"])


@pytest.mark.parametrize(
    ("host", "patterns", "allowed"),
    [
        ("api.example.com", (), True),
        ("api.example.com", ("api.example.com",), True),
        ("API.Example.COM.", ("api.example.com",), True),
        ("evil.com", ("api.example.com",), False),
        ("api.example.com.evil.com", ("api.example.com",), False),
        ("a.example.com", ("*.example.com",), True),
        ("a.b.example.com", ("*.example.com",), True),
        ("example.com", ("*.example.com",), False),
        ("badexample.com", ("*.example.com",), False),
    ],
)
def test_host_patterns(host: str, patterns: tuple[str, ...], allowed: bool) -> None:
    assert host_allowed(host, patterns) is allowed


def test_check_url_gives_the_target_with_default_ports() -> None:
    rules = OutboundRules()
    assert check_url("https://Shop.Example/x", rules).origin == ("https", "shop.example", 443)
    assert check_url("http://[2606:2800::1]:8080/", rules).origin == ("http", "2606:2800::1", 8080)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "http://", "http://a:b@host/", "http://host:99999/", "//x"]
)
def test_check_url_refuses_what_is_not_a_plain_http_url(url: str) -> None:
    with pytest.raises(OutboundRefused):
        check_url(url, OutboundRules())


def test_a_relative_redirect_stays_on_its_origin_and_is_checked() -> None:
    rules = OutboundRules(allowed_hosts=("shop.example",))
    here = check_url("https://shop.example/a/b", rules)
    assert redirect_target(here, "../c", rules).url == "https://shop.example/c"
    with pytest.raises(OutboundRefused, match="allow-list"):
        redirect_target(here, "https://evil.example/", rules)
