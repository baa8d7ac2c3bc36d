"""Account pages: register, sign in and out, profile, password change and reset."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import services
from app.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    NewPasswordForm,
    PersonalDetailsForm,
    RegisterForm,
    SignInForm,
)
from app.accounts.models import User
from app.extensions import db, limiter, login_manager
from app.i18n import select_locale
from app.security import safe_redirect_target

bp = Blueprint("accounts", __name__, template_folder="templates")


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    return services.user_from_session_id(session_id)


def _limit(key: str):
    return limiter.limit(lambda: current_app.config[key], methods=["POST"])


def _start_session(user, remember: bool = False) -> None:
    # A fresh session on sign-in: nothing set before it (by anyone) carries over.
    session.clear()
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = select_locale()
    if form.validate_on_submit():
        data = form.data
        registration = services.Registration(
            name=data["name"],
            email=data["email"],
            password=data["password"],
            country=data["country"],
            locale=data["locale"],
            gender=data["gender"],
            organisation=data["organisation"],
        )
        try:
            user = services.register_user(registration)
        except services.EmailTaken:
            form.email.errors.append(_("An account with this email address already exists."))
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Welcome to Passerelle, %(name)s.", name=user.name), "success")
            return redirect(url_for("site.index"))
    return render_template("accounts/register.html", form=form)


@bp.route("/sign-in", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGN_IN")
def sign_in():
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The email address or the password is wrong."))
        else:
            db.session.commit()
            _start_session(user, remember=form.remember.data)
            return redirect(safe_redirect_target(form.next.data) or url_for("site.index"))
    return render_template("accounts/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("site.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = PersonalDetailsForm(obj=current_user)
    if form.validate_on_submit():
        data = form.data
        services.update_profile(
            current_user,
            **{key: data[key] for key in ("name", "country", "locale", "gender", "organisation")},
        )
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", form=form, password_form=ChangePasswordForm(account=current_user)
    )


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm(account=current_user)
    if form.validate_on_submit():
        if services.authenticate(current_user.email, form.current_password.data) is None:
            form.current_password.errors.append(_("Your current password is wrong."))
        else:
            services.set_password(current_user, form.password.data)
            db.session.commit()
            _start_session(current_user._get_current_object())
            flash(_("Your password is changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", form=PersonalDetailsForm(obj=current_user), password_form=form
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        flash(
            _(
                "If an account uses that address, we have sent it a link to choose a new "
                "password. Check your email."
            ),
            "success",
        )
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def reset_password(token: str):
    user = services.user_from_reset_token(token)
    if user is None:
        return render_template("accounts/reset_invalid.html"), 400
    form = NewPasswordForm(account=user)
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash(_("Your password is changed. Sign in with your new password."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)
