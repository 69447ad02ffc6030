"""Contract of ``OutboundHttp``. Fixture: ``outbound`` -> ``OutboundHarness``."""

from __future__ import annotations

import pytest

from wa_agents.ports.outbound import (
    OutboundFailed,
    OutboundRefused,
    OutboundRequest,
    OutboundRules,
)
from wa_agents.testing.harness import OutboundHarness

RULES = OutboundRules(timeout_seconds=5.0)


def get(url: str, **headers: str) -> OutboundRequest:
    return OutboundRequest(method="GET", url=url, headers=headers)


class OutboundContract:
    async def test_a_public_url_answers(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/a?x=1", 200, b"hello", {"Content-Type": "text/plain"})
        response = await outbound.http.request(get(f"{outbound.public}/a?x=1"), RULES)
        assert (response.status, response.body) == (200, b"hello")
        assert response.content_type == "text/plain"
        assert response.url == f"{outbound.public}/a?x=1"

    async def test_method_headers_and_body_arrive(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/post", 201, b"{}")
        request = OutboundRequest(
            method="POST", url=f"{outbound.public}/post", headers={"X-Key": "k1"}, body=b'{"a":1}'
        )
        response = await outbound.http.request(request, RULES)
        assert response.status == 201
        [seen] = outbound.seen(outbound.public)
        assert (seen.method, seen.path, seen.body) == ("POST", "/post", b'{"a":1}')
        assert seen.headers["x-key"] == "k1"

    async def test_an_error_status_is_a_response(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/boom", 500, b"down")
        response = await outbound.http.request(get(f"{outbound.public}/boom"), RULES)
        assert (response.status, response.body) == (500, b"down")

    async def test_a_private_address_is_refused_before_any_byte(
        self, outbound: OutboundHarness
    ) -> None:
        outbound.serve(f"{outbound.private}/secret", 200, b"metadata")
        with pytest.raises(OutboundRefused, match="non-public"):
            await outbound.http.request(get(f"{outbound.private}/secret"), RULES)
        assert outbound.seen(outbound.private) == []

    async def test_a_host_off_the_allow_list_is_refused(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/a", 200, b"x")
        rules = OutboundRules(allowed_hosts=("api.example.com", "*.example.org"))
        with pytest.raises(OutboundRefused, match="allow-list"):
            await outbound.http.request(get(f"{outbound.public}/a"), rules)
        assert outbound.seen(outbound.public) == []

    @pytest.mark.parametrize(
        "url", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x", "http://u:p@x.org/"]
    )
    async def test_other_schemes_and_credentials_are_refused(
        self, outbound: OutboundHarness, url: str
    ) -> None:
        with pytest.raises(OutboundRefused):
            await outbound.http.request(get(url), RULES)

    async def test_redirects_are_followed_and_reported(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/old", 301, headers={"Location": "/new"})
        outbound.serve(f"{outbound.public}/new", 200, b"moved")
        response = await outbound.http.request(get(f"{outbound.public}/old"), RULES)
        assert (response.status, response.body, response.url) == (
            200,
            b"moved",
            f"{outbound.public}/new",
        )

    async def test_a_redirect_to_a_private_address_is_refused(
        self, outbound: OutboundHarness
    ) -> None:
        outbound.serve(f"{outbound.public}/r", 302, headers={"Location": f"{outbound.private}/x"})
        outbound.serve(f"{outbound.private}/x", 200, b"internal")
        with pytest.raises(OutboundRefused):
            await outbound.http.request(get(f"{outbound.public}/r"), RULES)
        assert outbound.seen(outbound.private) == []

    async def test_too_many_redirects_are_refused(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/loop", 302, headers={"Location": "/loop"})
        with pytest.raises(OutboundRefused, match="redirects"):
            await outbound.http.request(get(f"{outbound.public}/loop"), RULES)
        assert len(outbound.seen(outbound.public)) == RULES.max_redirects + 1

    async def test_headers_never_follow_a_redirect_to_another_origin(
        self, outbound: OutboundHarness
    ) -> None:
        outbound.serve(f"{outbound.public}/go", 307, headers={"Location": f"{outbound.other}/in"})
        outbound.serve(f"{outbound.other}/in", 200, b"ok")
        await outbound.http.request(get(f"{outbound.public}/go", Authorization="Bearer s3"), RULES)
        [seen] = outbound.seen(outbound.other)
        assert "authorization" not in seen.headers

    async def test_a_303_continues_as_a_get_without_body(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/form", 303, headers={"Location": "/done"})
        outbound.serve(f"{outbound.public}/done", 200, b"thanks")
        request = OutboundRequest(method="POST", url=f"{outbound.public}/form", body=b"a=1")
        assert (await outbound.http.request(request, RULES)).body == b"thanks"
        assert [(s.method, s.path) for s in outbound.seen(outbound.public)] == [
            ("POST", "/form"),
            ("GET", "/done"),
        ]

    async def test_a_body_over_the_cap_is_refused(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/big", 200, b"x" * 5000)
        with pytest.raises(OutboundRefused, match="larger"):
            await outbound.http.request(
                get(f"{outbound.public}/big"), OutboundRules(max_bytes=4096)
            )
        small = await outbound.http.request(
            get(f"{outbound.public}/big"), OutboundRules(max_bytes=5000)
        )
        assert len(small.body) == 5000

    async def test_a_slow_server_times_out(self, outbound: OutboundHarness) -> None:
        outbound.serve(f"{outbound.public}/slow", 200, b"late", delay=1.5)
        with pytest.raises(OutboundFailed):
            await outbound.http.request(
                get(f"{outbound.public}/slow"), OutboundRules(timeout_seconds=0.3)
            )

    async def test_nothing_listening_is_a_failure_worth_a_retry(
        self, outbound: OutboundHarness
    ) -> None:
        with pytest.raises(OutboundFailed):
            await outbound.http.request(get(f"{outbound.closed}/x"), RULES)
