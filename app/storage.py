"""Stored files (course media for now) behind one small interface.

The default keeps them in the instance folder under content-addressed names, so any server
can rebuild or share them and browsers may cache them forever.
"""

import hashlib
import os
from pathlib import Path

from flask import current_app, url_for


def media_root() -> Path:
    return Path(current_app.instance_path) / "media"


def save_media(data: bytes, suffix: str) -> str:
    """Store bytes once under their hash; returns the name to serve them by."""
    name = hashlib.sha256(data).hexdigest()[:32] + suffix.lower()
    path = media_root() / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    return name


def read_media(name: str) -> bytes:
    return (media_root() / name).read_bytes()


def media_url(name: str) -> str:
    return url_for("courses.media", name=name)


def uploads_root() -> Path:
    return Path(current_app.instance_path) / "uploads"


def save_upload(data: bytes) -> str:
    """Keep an uploaded file until it is confirmed; returns its name (its content hash)."""
    name = hashlib.sha256(data).hexdigest()
    path = uploads_root() / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return name


def read_upload(name: str) -> bytes | None:
    """An upload kept by save_upload, or None for any name it did not give out."""
    if len(name) != 64 or any(char not in "0123456789abcdef" for char in name):
        return None
    path = uploads_root() / name
    return path.read_bytes() if path.is_file() else None
