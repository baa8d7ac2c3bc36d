"""Static files under content-hashed names, so browsers may cache them for a year."""

import hashlib
import mimetypes
import os
import re
from functools import cache

from flask import Blueprint, Flask, abort, current_app, request, url_for
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 60 * 60
_HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")

bp = Blueprint("assets", __name__)


STATIC_FOLDER = os.path.join(os.path.dirname(__file__), "static")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(asset_url)


@cache
def _content(static_folder: str, filename: str) -> tuple[bytes, str]:
    """A static file's bytes and the first 12 hex digits of their SHA-256 (files are small)."""
    path = safe_join(static_folder, filename)
    if path is None:
        raise FileNotFoundError(filename)
    with open(path, "rb") as handle:
        data = handle.read()
    return data, hashlib.sha256(data).hexdigest()[:12]


def _digest(static_folder: str, filename: str) -> str:
    return _content(static_folder, filename)[1]


def asset_url(filename: str) -> str:
    """The URL of a static file with its content hash in the name: css/site.1a2b3c4d5e6f.css."""
    if current_app.debug:
        _content.cache_clear()
    stem, suffix = os.path.splitext(filename)
    return url_for("assets.serve", filename=f"{stem}.{_digest(STATIC_FOLDER, filename)}{suffix}")


@bp.route("/assets/<path:filename>")
def serve(filename: str):
    match = _HASHED_NAME.match(filename)
    if not match:
        abort(404)
    original = match["stem"] + match["suffix"]
    try:
        data, digest = _content(STATIC_FOLDER, original)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        abort(404)
    if digest != match["digest"]:
        abort(404)
    # Sent from memory, not streamed, so that Flask-Compress can compress it.
    mimetype = mimetypes.guess_type(original)[0] or "application/octet-stream"
    response = current_app.response_class(data, mimetype=mimetype)
    response.set_etag(digest)
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response.make_conditional(request)
