"""Every forged, stale or foreign access token is a 401, never a way in."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest

from tests.support.api import Api

KEY = b"k" * 40  # the key api_settings gives the server
AUD, ISS = "wa_agents-api", "wa_agents"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = b64(json.dumps(header).encode())
    body = b64(json.dumps(claims).encode())
    return f"{head}.{body}.{b64(signature)}"


@pytest.fixture
def claims(api: Api) -> dict[str, Any]:
    me = api.client(api.token()).get("/api/v1/auth/me").json()
    now = int(time.time())
    return {
        "sub": me["id"],
        "role": "admin",
        "jti": "j1",
        "iss": ISS,
        "aud": AUD,
        "iat": now,
        "exp": now + 300,
    }


def forge(claims: dict[str, Any], **changes: Any) -> str:
    body = {**claims, **changes}
    return jwt.encode({k: v for k, v in body.items() if v is not None}, KEY, algorithm="HS256")


def test_a_well_formed_token_works(api: Api, claims: dict[str, Any]) -> None:
    # the control: the forgeries below fail for their flaw, not for the harness
    assert api.client(forge(claims)).get("/api/v1/auth/me").status_code == 200


CASES = {
    "alg none": lambda c: unsigned({"alg": "none", "typ": "JWT"}, c),
    "alg None": lambda c: unsigned({"alg": "None", "typ": "JWT"}, c),
    "RS256 header": lambda c: unsigned({"alg": "RS256", "typ": "JWT"}, c, b"\x01" * 256),
    "HS/RS confusion": lambda c: jwt.encode(
        c, b"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n", "HS256"
    ),
    "HS512": lambda c: jwt.encode(c, KEY, algorithm="HS512"),
    "bad signature": lambda c: (
        forge(c)[:-4] + ("AAAA" if not forge(c).endswith("AAAA") else "BBBB")
    ),
    "other key": lambda c: jwt.encode(c, b"x" * 40, algorithm="HS256"),
    "expired": lambda c: forge(c, iat=c["iat"] - 1000, exp=c["iat"] - 100),
    "not yet valid": lambda c: forge(c, nbf=c["iat"] + 600),
    "issued in the future": lambda c: forge(c, iat=c["iat"] + 600, exp=c["iat"] + 900),
    "lives too long": lambda c: forge(c, exp=c["iat"] + 86_400),
    "wrong audience": lambda c: forge(c, aud="someone-else"),
    "wrong issuer": lambda c: forge(c, iss="evil"),
    "no exp": lambda c: forge(c, exp=None),
    "no iat": lambda c: forge(c, iat=None),
    "no iss": lambda c: forge(c, iss=None),
    "no aud": lambda c: forge(c, aud=None),
    "no sub": lambda c: forge(c, sub=None),
    "no jti": lambda c: forge(c, jti=None),
    "unknown subject": lambda c: forge(c, sub="ghost"),
    "garbage": lambda c: "not.a.token",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_tokens_are_refused(api: Api, claims: dict[str, Any], case: str) -> None:
    response = api.client(CASES[case](claims)).get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json() == {"status_code": 401, "detail": "invalid or expired token"} or (
        case == "unknown subject" and response.json()["detail"] == "invalid token"
    )


def test_a_refresh_token_is_not_an_access_token(api: Api) -> None:
    pair = api.login("root", "root-passphrase-for-tests")
    assert api.client(pair["refresh_token"]).get("/api/v1/auth/me").status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer  x y", "Basic cm9vdDpyb290", "Token abc"])
def test_missing_or_foreign_schemes_are_refused(api: Api, header: str) -> None:
    response = api.http.get("/api/v1/auth/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
