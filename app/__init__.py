"""Passerelle: a multilingual learning management system for capacity building."""

import logging
import os
from typing import Any

from flask import Flask, has_request_context, request, session
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix

from app import assets, i18n, security
from app.accounts.views import bp as accounts_bp
from app.assessments.views import bp as assessments_bp
from app.certificates.views import bp as certificates_bp
from app.cli import lms
from app.config import DEFAULTS, DEV_SECRET_KEY, environment_overrides
from app.courses.authoring_views import bp as authoring_bp
from app.courses.views import bp as courses_bp
from app.database import render_migration_item
from app.extensions import compress, configure_sqlite, csrf, db, limiter, login_manager, migrate
from app.learning.views import bp as learning_bp
from app.reports.views import bp as reports_bp
from app.site.errors import register_error_handlers
from app.site.views import bp as site_bp


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, instance config, environment, then overrides."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    # Static files are served by app.assets under content-hashed names only.
    app = Flask(
        __name__, instance_path=instance_path, instance_relative_config=True, static_folder=None
    )
    load_config(app, config)
    refuse_insecure_defaults(app)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    trust_proxies(app)
    return app


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("passerelle.cfg", silent=True)
    app.config.from_mapping(environment_overrides())
    if overrides:
        app.config.from_mapping(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app)
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"


def database_uri(app: Flask) -> str:
    """The SQLAlchemy URI: DATABASE_URL through psycopg 3, else SQLite in the instance folder."""
    url = app.config["DATABASE_URL"]
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        return "sqlite:///" + os.path.join(app.instance_path, "passerelle.sqlite3")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def refuse_insecure_defaults(app: Flask) -> None:
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "SECRET_KEY is the development default. Set SECRET_KEY in the environment "
            "or in instance/passerelle.cfg before running Passerelle in production."
        )


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(request)s: %(message)s"


class RequestContext(logging.Filter):
    """Add to each record the request it belongs to: method, path and user id, or "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request = "-"
        if has_request_context():
            user = session.get("_user_id", "-").split(":")[0]
            record.request = f"{request.method} {request.path} user={user}"
        return True


def configure_logging(app: Flask) -> None:
    """One line per event on standard error: time, level, logger, request, message."""
    default_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    if not any(isinstance(f, RequestContext) for f in default_handler.filters):
        default_handler.addFilter(RequestContext())
    # Always ours, even where something else configured the root logger first.
    if default_handler not in app.logger.handlers:
        app.logger.addHandler(default_handler)
    app.logger.setLevel(app.config["LOG_LEVEL"])


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app, db, render_as_batch=True, compare_type=True, render_item=render_migration_item
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(site_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(courses_bp)
    app.register_blueprint(learning_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(authoring_bp)
    app.register_blueprint(reports_bp)
    register_error_handlers(app)
    app.cli.add_command(lms)


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-* only from the number of proxies we are told sit in front."""
    count = app.config["PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
