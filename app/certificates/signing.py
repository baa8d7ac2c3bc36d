"""Ed25519 signatures over certificates' content, and the public key to check them.

The private key comes from CERTIFICATE_SIGNING_KEY (PEM) or, failing that, from
`certificate-signing-key.pem` in the instance folder, created on first use. Every app
server must use the same key: set it in production.
"""

import base64
import json
import logging
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

log = logging.getLogger(__name__)
KEY_FILE = "certificate-signing-key.pem"


def canonical(content: dict) -> bytes:
    """The exact bytes that are signed: JSON with sorted keys and no spaces."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def private_key() -> Ed25519PrivateKey:
    pem = current_app.config.get("CERTIFICATE_SIGNING_KEY") or _key_file()
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError("CERTIFICATE_SIGNING_KEY must be an Ed25519 private key")
    return key


def _key_file() -> str:
    path = Path(current_app.instance_path) / KEY_FILE
    if not path.exists():
        log.warning("No certificate signing key configured: created %s", path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generate_key_pem())
        path.chmod(0o600)
    return path.read_text()


def generate_key_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def public_key_pem() -> str:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def sign(content: dict) -> str:
    return base64.urlsafe_b64encode(private_key().sign(canonical(content))).decode()


def verify(content: dict, signature: str, public_key: Ed25519PublicKey | None = None) -> bool:
    key = public_key or private_key().public_key()
    try:
        key.verify(base64.urlsafe_b64decode(signature.encode()), canonical(content))
    except (InvalidSignature, ValueError):
        return False
    return True
