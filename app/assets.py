"""Static files under content-hashed names, so browsers may cache them for a year."""

import hashlib
import os
import re
from functools import cache

from flask import Blueprint, Flask, abort, current_app, send_from_directory, url_for
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 60 * 60
_HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")

bp = Blueprint("assets", __name__)


STATIC_FOLDER = os.path.join(os.path.dirname(__file__), "static")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(asset_url)


@cache
def _digest(static_folder: str, filename: str) -> str:
    path = safe_join(static_folder, filename)
    if path is None:
        raise FileNotFoundError(filename)
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """The URL of a static file with its content hash in the name: css/site.1a2b3c4d5e6f.css."""
    if current_app.debug:
        _digest.cache_clear()
    stem, suffix = os.path.splitext(filename)
    return url_for("assets.serve", filename=f"{stem}.{_digest(STATIC_FOLDER, filename)}{suffix}")


@bp.route("/assets/<path:filename>")
def serve(filename: str):
    match = _HASHED_NAME.match(filename)
    if not match:
        abort(404)
    original = match["stem"] + match["suffix"]
    try:
        current = _digest(STATIC_FOLDER, original)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        abort(404)
    if current != match["digest"]:
        abort(404)
    response = send_from_directory(STATIC_FOLDER, original, max_age=ONE_YEAR)
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response
