"""Certificates as Open Badges 3.0 credentials (OpenBadgeCredential), signed as VC-JWT
with the same Ed25519 key as the certificates, so any wallet that speaks the standard can
carry them. The key is also published as a JWK set for verifiers."""

import base64
import json

from cryptography.hazmat.primitives import serialization
from flask import url_for
from flask_babel import force_locale, gettext

from app.certificates import codes, signing
from app.certificates.models import Certificate

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
KEY_ID = "passerelle-certificates-1"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def credential(certificate: Certificate) -> dict:
    """The OpenBadgeCredential of a certificate, in its course's source language."""
    content = certificate.content
    course = content["course"]
    title = course["titles"][course["source_language"]]
    link = url_for("certificates.verify", code=codes.format_code(certificate.code), _external=True)
    return {
        "@context": CONTEXTS,
        "id": link,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "issuer": {
            "id": url_for("site.index", _external=True),
            "type": ["Profile"],
            "name": content["issuer"],
        },
        "validFrom": certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": content["learner"],
            "achievement": {
                "id": url_for("courses.course", slug=course["slug"], _external=True),
                "type": ["Achievement"],
                "name": title,
                "description": title,
                "criteria": {"narrative": _criteria(course, content["completed_on"])},
                "achievementType": "Certificate",
                "inLanguage": course["source_language"],
            },
        },
    }


def _criteria(course: dict, completed_on: str) -> str:
    """What earning the badge took, in the course's own language."""
    with force_locale(course["source_language"]):
        return gettext(
            "Completed every required lesson and quiz of the course (about %(hours)s hours "
            "of learning) on %(date)s.",
            hours=course["hours"],
            date=completed_on,
        )


def signed_credential(certificate: Certificate) -> str:
    """The credential as a compact JWS (VC-JWT, EdDSA)."""
    body = credential(certificate)
    header = {
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": url_for("certificates.jwks", _external=True) + "#" + KEY_ID,
    }
    claims = {
        "iss": body["issuer"]["id"],
        "jti": body["id"],
        "sub": body["credentialSubject"]["name"],
        "nbf": int(certificate.issued_at.timestamp()),
        "vc": body,
    }
    signing_input = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
    signature = signing.private_key().sign(signing_input.encode())
    return f"{signing_input}.{_b64url(signature)}"


def jwks() -> dict:
    raw = (
        signing.private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": _b64url(raw),
                "kid": KEY_ID,
                "alg": "EdDSA",
                "use": "sig",
            }
        ]
    }
