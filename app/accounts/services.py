"""Account logic: registration, sign-in, profile changes and password resets."""

import logging
from dataclasses import dataclass

from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import User
from app.database import utcnow
from app.extensions import db
from app.mail import send_mail

log = logging.getLogger(__name__)

PASSWORD_MIN = 10
PASSWORD_MAX = 128
# The most common passwords that satisfy the length rule; anything here is refused.
COMMON_PASSWORDS = frozenset(
    [
        "1234567890",
        "0123456789",
        "1234567891",
        "12345678910",
        "qwertyuiop",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou123",
        "qwerty1234",
        "qwerty12345",
        "abcdef1234",
        "abc1234567",
        "abcd123456",
        "aaaaaaaaaa",
        "1111111111",
        "0000000000",
        "welcome123",
        "letmein123",
        "administrator",
        "princess123",
        "football123",
        "sunshine123",
        "monkey1234",
        "dragon1234",
        "azertyuiop",
        "motdepasse",
        "contrasena",
        "senha12345",
        "password",
        "passwordpassword",
        "changeme123",
    ]
)

# A hash to compare against when the email is unknown, so both paths take as long.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class EmailTaken(Exception):
    """Another account already uses this email address."""


@dataclass
class Registration:
    name: str
    email: str
    password: str
    country: str
    locale: str
    gender: str | None = None
    organisation: str | None = None
    role: str = "learner"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a password is too weak, in the user's language, or None when it will do."""
    if len(password) < PASSWORD_MIN:
        return gettext("Use at least %(n)d characters.", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return gettext("Use at most %(max)d characters.", max=PASSWORD_MAX)
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return gettext("This password is too easy to guess. Try a few unrelated words.")
    personal = [normalise_email(email).split("@")[0], *name.lower().split()]
    if any(len(part) >= 4 and part in lowered for part in personal):
        return gettext("Do not use your name or email address in your password.")
    return None


# Built once: every signed-in request runs it, and building a statement costs more than
# running it (a third of the user's load on PostgreSQL).
_USER_BY_ID = select(User).where(User.id == bindparam("id"))


def user_from_session_id(session_id: str) -> User | None:
    """The active user a session id (from User.get_id) belongs to, if the password is the same."""
    user_id, _, fingerprint = session_id.partition(":")
    user = db.session.scalar(_USER_BY_ID, {"id": int(user_id)}) if user_id.isdigit() else None
    if user is None or not user.is_active or user.password_fingerprint != fingerprint:
        return None
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register_user(registration: Registration) -> User:
    """Create an account; raises EmailTaken when the address is in use (even in a race)."""
    user = User(
        name=registration.name.strip(),
        email=normalise_email(registration.email),
        password_hash=generate_password_hash(registration.password),
        country=registration.country,
        locale=registration.locale,
        gender=registration.gender or None,
        organisation=(registration.organisation or "").strip() or None,
        role=registration.role,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise EmailTaken(registration.email) from error
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_sign_in_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = generate_password_hash(password)


def update_profile(
    user: User, *, name: str, country: str, locale: str, gender: str, organisation: str
) -> None:
    user.name = name.strip()
    user.country = country
    user.locale = locale
    user.gender = gender or None
    user.organisation = (organisation or "").strip() or None


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user: User) -> str:
    # The fingerprint changes with the password, which makes a used token worthless.
    return _reset_serializer().dumps({"user": user.id, "fp": user.password_fingerprint})


def user_from_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused token was made for, or None."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data.get("user"), int) else None
    if user is None or not user.is_active or data.get("fp") != user.password_fingerprint:
        return None
    return user


def send_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        log.info("Password reset asked for an unknown or inactive address")
        return
    link = url_for("accounts.reset_password", token=make_reset_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.locale):
        subject = gettext("Reset your Passerelle password")
        body = render_template(
            "accounts/email/reset_password.txt", user=user, link=link, minutes=minutes
        )
    send_mail(user.email, subject, body)
