"""Home page, language switch and health check."""

from flask import Blueprint, flash, jsonify, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.i18n import SESSION_KEY
from app.security import safe_redirect_target
from app.site.forms import LanguageForm

bp = Blueprint("site", __name__, template_folder="templates")


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    return render_template("site/index.html")


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    target = safe_redirect_target(form.next.data) or url_for("site.index")
    if not form.validate():
        flash(_("That language is not available. Choose one from the list."), "error")
        return redirect(target)
    session[SESSION_KEY] = form.locale.data
    if current_user.is_authenticated:
        current_user.locale = form.locale.data
        db.session.commit()
    return redirect(target)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
