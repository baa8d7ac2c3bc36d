"""Verification by anyone (page and JSON), the public key, and revocation by staff."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import Role
from app.accounts.permissions import role_required
from app.certificates import badges, codes, services, signing
from app.certificates.forms import CodeForm, RevokeForm
from app.certificates.pdf import certificate_pdf
from app.extensions import db, limiter
from app.i18n import pick_translation, select_locale

bp = Blueprint("certificates", __name__, template_folder="templates")


@bp.route("/verify")
@limiter.limit("60 per minute")
def lookup():
    form = CodeForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("certificates.verify", code=form.data["code"]))
    return render_template("certificates/lookup.html", form=form)


@bp.route("/verify/<code>")
@limiter.limit("60 per minute")
def verify(code: str):
    result = services.verify_code(code)
    if request.args.get("format") == "json" or _wants_json():
        return jsonify(_as_json(result))
    title = None
    if result.certificate:
        content = result.certificate.content
        course = content["course"]
        title, _fallback = pick_translation(
            course["titles"], select_locale(), course["source_language"]
        )
    status = 404 if result.status in (services.UNKNOWN, services.MALFORMED) else 200
    can_revoke = result.certificate is not None and services.can_manage(
        current_user, result.certificate
    )
    owns = (
        result.certificate is not None
        and current_user.is_authenticated
        and result.certificate.user_id == current_user.id
    )
    page = render_template(
        "certificates/verify.html",
        pdf_languages=sorted(services.certificate_languages(result.certificate)) if owns else [],
        result=result,
        title=title,
        formatted=codes.format_code(result.certificate.code) if result.certificate else code,
        revoke_form=RevokeForm() if can_revoke and result.status == services.VALID else None,
    )
    return page, status


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _as_json(result: services.Verification) -> dict:
    data = {"status": result.status}
    if result.certificate:
        content = result.certificate.content
        data.update(
            code=codes.format_code(result.certificate.code),
            learner=content["learner"],
            course=content["course"],
            completed_on=content["completed_on"],
            issuer=content["issuer"],
            content=content,
            signature=result.certificate.signature,
            public_key=url_for("certificates.public_key", _external=True),
        )
        if result.certificate.is_revoked:
            data.update(
                revoked_at=result.certificate.revoked_at.isoformat(),
                revoked_reason=result.certificate.revoked_reason,
            )
    return data


@bp.route("/.well-known/passerelle-certificates.pem")
def public_key():
    return signing.public_key_pem(), 200, {"Content-Type": "application/x-pem-file"}


@bp.route("/verify/<code>/revoke", methods=["POST"])
@role_required(Role.OFFICER, Role.ADMIN)
def revoke(code: str):
    result = services.verify_code(code)
    if result.certificate is None:
        abort(404)
    if not services.can_manage(current_user, result.certificate):
        abort(403)
    form = RevokeForm()
    if not form.validate():
        flash(" ".join(map(str, form.reason.errors)), "error")
    elif services.revoke(result.certificate, form.data["reason"], current_user):
        db.session.commit()
        flash(_("The certificate is revoked."), "success")
    else:
        flash(_("This certificate was already revoked."), "info")
    return redirect(url_for("certificates.verify", code=result.certificate.code))


@bp.route("/certificates/<code>.pdf")
@login_required
def pdf(code: str):
    result = services.verify_code(code)
    certificate = result.certificate
    if certificate is None or (
        certificate.user_id != current_user.id
        and not services.can_manage(current_user, certificate)
    ):
        abort(404)
    languages = services.certificate_languages(certificate)
    locale = request.args.get("lang") or (
        current_user.locale
        if current_user.locale in languages
        else certificate.content["course"]["source_language"]
    )
    if locale not in languages:
        abort(404)
    response = current_app.response_class(
        certificate_pdf(certificate, locale), mimetype="application/pdf"
    )
    response.headers["Content-Disposition"] = (
        f"inline; filename=certificate-{certificate.code}-{locale}.pdf"
    )
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _badge_certificate(code: str):
    result = services.verify_code(code)
    if result.certificate is None or result.status == services.TAMPERED:
        abort(404)
    if result.status == services.REVOKED:
        abort(410)
    return result.certificate


@bp.route("/verify/<code>/badge.json")
def badge(code: str):
    """The certificate as an Open Badges 3.0 credential (JSON)."""
    return jsonify(badges.credential(_badge_certificate(code)))


@bp.route("/verify/<code>/badge.jwt")
def signed_badge(code: str):
    """The same credential signed as a VC-JWT, for wallets and backpacks."""
    token = badges.signed_credential(_badge_certificate(code))
    return token, 200, {"Content-Type": "application/vc+jwt"}


@bp.route("/.well-known/jwks.json")
def jwks():
    return jsonify(badges.jwks())
