"""Media over real HTTP: an operator's upload is stored, sent, and served only with a token."""

from __future__ import annotations

import httpx

from tests.support.api import Api
from tests.support.media_files import JPEG

JID = "15551230000@s.whatsapp.net"
MEDIA = f"/api/v1/sessions/shop/conversations/{JID}/media"


def linked(admin: httpx.Client) -> None:
    agent = admin.post(
        "/api/v1/agents",
        json={"name": "A", "model": "m", "system_prompt": "p", "media": {"vision": True}},
    )
    assert agent.status_code == 201, agent.text
    assert agent.json()["media"]["vision"] is True
    assert admin.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent.json()["id"]})
    assert admin.post("/api/v1/sandbox/sessions/shop/scan").status_code == 200


def test_an_uploaded_image_is_sent_and_served_to_signed_in_users(
    api: Api, admin: httpx.Client
) -> None:
    linked(admin)
    sent = admin.post(
        MEDIA, files={"file": ("menu.jpg", JPEG, "image/jpeg")}, data={"caption": "menu"}
    )
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert body["media"] == {
        "kind": "image",
        "mime_type": "image/jpeg",
        "size": len(JPEG),
        "filename": "menu.jpg",
        "caption": "menu",
        "transcript": None,
        "status": "ready",
    }
    assert body["media_url"] == f"/api/v1/messages/{body['id']}/media"
    api.wait_for(
        admin,
        f"/api/v1/sessions/shop/conversations/{JID}/messages",
        lambda page: page["items"] and page["items"][0]["status"] == "sent",
    )
    viewer = api.user("viewer")
    served = viewer.get(body["media_url"])
    assert served.status_code == 200 and served.content == JPEG
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["content-disposition"].startswith('inline; filename="menu.jpg"')
    assert served.headers["x-content-type-options"] == "nosniff"
    assert api.client(None).get(body["media_url"]).status_code == 401


def test_bad_media_requests_get_clear_4xx(api: Api, admin: httpx.Client) -> None:
    linked(admin)
    no_file = admin.post(MEDIA, files={"other": ("x", b"x")})
    assert no_file.status_code == 400 and "file" in no_file.json()["detail"]
    wrong_type = admin.post(MEDIA, content=b"x", headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 415
    exe = admin.post(MEDIA, files={"file": ("a.exe", b"MZ\x90\x00" + bytes(60))})
    assert exe.status_code == 422 and "executable" in exe.json()["detail"]
    bad_json = admin.post(MEDIA, json={"link": "x"})
    assert bad_json.status_code == 400
    text = admin.post(f"/api/v1/sessions/shop/conversations/{JID}/messages", json={"text": "hi"})
    missing = admin.get(f"/api/v1/messages/{text.json()['id']}/media")
    assert missing.status_code == 404 and "media" in missing.json()["detail"]
    assert admin.get("/api/v1/messages/nope/media").status_code == 404
