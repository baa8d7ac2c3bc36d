"""Every configuration key with its default; environment variables of the same name override."""

import os

DEV_SECRET_KEY = "dev-only-insecure-key"  # noqa: S105 - refused outside development and tests

DEFAULTS: dict[str, object] = {
    # Folder for passerelle.cfg, the SQLite database and stored files ("instance/" by default).
    "INSTANCE_PATH": "",
    "SECRET_KEY": DEV_SECRET_KEY,
    # Empty means SQLite in the instance folder.
    "DATABASE_URL": "",
    # Test each pooled connection before use, so that a database restart costs no request.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    # Empty means rate limits are counted in memory (one process only).
    "REDIS_URL": "",
    "SITE_NAME": "Passerelle",
    # Who certificates say issued them: the programme, ministry or agency running the site.
    "CERTIFICATE_ISSUER": "Passerelle",
    # An Ed25519 private key (PEM) shared by every server; empty: a key in the instance folder.
    "CERTIFICATE_SIGNING_KEY": "",
    # Report cells counting fewer people than this are shown as "fewer than N".
    "REPORT_MIN_CELL": 5,
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
    "RATELIMIT_ENABLED": True,
    # If Redis is unreachable, keep answering and count in memory until it is back.
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_KEY_PREFIX": "passerelle",
    "RATELIMIT_SIGN_IN": "10 per minute;50 per hour",
    "RATELIMIT_REGISTER": "5 per minute;30 per hour",
    "RATELIMIT_PASSWORD_RESET": "5 per minute;20 per hour",
    "PASSWORD_RESET_MAX_AGE": 60 * 60,
    "MAIL_SERVER": "",
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_DEFAULT_SENDER": "Passerelle <no-reply@localhost>",
    # How many proxies in front of the app set X-Forwarded-For / -Proto (0: none).
    "PROXY_COUNT": 0,
    "LOG_LEVEL": "INFO",
    # Response compression (Flask-Compress): brotli where the browser takes it, else gzip.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "deflate"],
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/csv",
        "text/plain",
        "text/javascript",
        "application/json",
        "application/jwk-set+json",
        "image/svg+xml",
    ],
    "COMPRESS_BR_LEVEL": 4,
    "COMPRESS_LEVEL": 6,
    "COMPRESS_MIN_SIZE": 500,
}


def environment_overrides(environ: os._Environ | dict[str, str] = os.environ) -> dict[str, object]:
    """Read every known key from the environment, converted to the type of its default."""
    overrides: dict[str, object] = {}
    for key, default in DEFAULTS.items():
        if key not in environ:
            continue
        raw = environ[key]
        if isinstance(default, dict):
            raise RuntimeError(f"{key} can only be set in instance/passerelle.cfg")
        if isinstance(default, list):
            overrides[key] = [item.strip() for item in raw.split(",") if item.strip()]
        elif isinstance(default, bool):
            overrides[key] = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif isinstance(default, int):
            try:
                overrides[key] = int(raw)
            except ValueError:
                raise RuntimeError(f"{key} must be a whole number, not {raw!r}") from None
        else:
            overrides[key] = raw
    return overrides
