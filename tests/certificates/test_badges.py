"""Certificates as Open Badges 3.0 credentials, signed as VC-JWT."""

import base64
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.certificates.test_certificates import issued  # noqa: F401 - a fixture
from tests.conftest import post_form, sign_in


def b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_the_credential_is_an_open_badge(client, issued):  # noqa: F811
    _user, cert = issued
    data = client.get(f"/verify/{cert.code}/badge.json").get_json()
    assert data["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in data["@context"]
    assert data["issuer"]["name"] == "Passerelle" and data["issuer"]["type"] == ["Profile"]
    assert data["validFrom"].endswith("Z")
    subject = data["credentialSubject"]
    assert subject["name"] == "Wanjiru Kamau"
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["name"] == "Water data basics"


def test_the_signed_credential_verifies_with_the_published_key(client, issued):  # noqa: F811
    _user, cert = issued
    token = client.get(f"/verify/{cert.code}/badge.jwt").get_data(as_text=True)
    header, payload, signature = token.split(".")
    assert json.loads(b64(header))["alg"] == "EdDSA"
    claims = json.loads(b64(payload))
    assert claims["vc"]["credentialSubject"]["name"] == "Wanjiru Kamau"
    key = client.get("/.well-known/jwks.json").get_json()["keys"][0]
    assert (key["kty"], key["crv"]) == ("OKP", "Ed25519")
    public = Ed25519PublicKey.from_public_bytes(b64(key["x"]))
    public.verify(b64(signature), f"{header}.{payload}".encode())  # raises if forged


def test_revoked_or_unknown_certificates_have_no_badge(app, client, create_user, issued):  # noqa: F811
    _user, cert = issued
    assert client.get("/verify/0000-0000-0000-0000-0/badge.json").status_code == 404
    sign_in(client, create_user(role="admin"))
    link = f"/verify/{cert.code}"
    post_form(client, f"{link}/revoke", {"reason": "Issued by mistake."}, token_from=link)
    assert client.get(f"{link}/badge.json").status_code == 410
    assert client.get(f"{link}/badge.jwt").status_code == 410


def test_the_criteria_are_written_in_the_courses_language(client, issued):  # noqa: F811
    _user, cert = issued
    narrative = client.get(f"/verify/{cert.code}/badge.json").get_json()["credentialSubject"][
        "achievement"
    ]["criteria"]["narrative"]
    assert narrative.startswith("Completed every required lesson and quiz")
    assert "2.5 hours" in narrative
