"""Issuing certificates once, checking a code, and revoking."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.accounts.models import Role, User
from app.certificates import codes, signing
from app.certificates.models import Certificate
from app.courses.models import Course, CourseLanguage, CourseTranslation
from app.database import insert_ignoring_conflicts, utcnow
from app.extensions import db

CONTENT_VERSION = 1
MALFORMED, UNKNOWN, VALID, REVOKED, TAMPERED = (
    "malformed",
    "unknown",
    "valid",
    "revoked",
    "tampered",
)


def issue_certificate(enrolment) -> Certificate:
    """The enrolment's certificate, issued now if it has none; never a second one.

    A revoked certificate stays revoked: completing again does not issue a new one.
    """
    existing = certificate_for(enrolment.id)
    if existing is not None:
        return existing
    user = db.session.get(User, enrolment.user_id)
    course = db.session.get(Course, enrolment.course_id)
    titles = dict(
        db.session.execute(
            select(CourseTranslation.locale, CourseTranslation.title).where(
                CourseTranslation.course_id == course.id
            )
        ).all()
    )
    completed = (enrolment.completed_at or utcnow()).date()
    code = codes.new_code()
    content = {
        "version": CONTENT_VERSION,
        "code": code,
        "learner": user.name,
        "course": {
            "slug": course.slug,
            "titles": titles,
            "source_language": course.source_locale,
            "hours": str(course.estimated_hours),
        },
        "completed_on": completed.isoformat(),
        "issuer": current_app.config["CERTIFICATE_ISSUER"],
    }
    insert_ignoring_conflicts(
        Certificate,
        enrolment_id=enrolment.id,
        user_id=user.id,
        course_id=course.id,
        code=code,
        content=content,
        signature=signing.sign(content),
        completed_on=completed,
        issued_at=utcnow(),
    )
    return certificate_for(enrolment.id)


def certificate_for(enrolment_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment_id))


def certificates_of(user_id: int) -> dict[int, Certificate]:
    """A learner's certificates by course id."""
    query = select(Certificate).where(Certificate.user_id == user_id)
    return {certificate.course_id: certificate for certificate in db.session.scalars(query)}


@dataclass
class Verification:
    status: str
    certificate: Certificate | None = None


def verify_code(typed: str) -> Verification:
    """What a verification link or a typed code says: valid, revoked, unknown or worse."""
    code = codes.normalise_code(typed)
    if code is None:
        return Verification(MALFORMED)
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None:
        return Verification(UNKNOWN)
    if certificate.content.get("code") != code or not signing.verify(
        certificate.content, certificate.signature
    ):
        return Verification(TAMPERED)
    return Verification(REVOKED if certificate.is_revoked else VALID, certificate)


def can_manage(user: User, certificate: Certificate) -> bool:
    """Admins, and officers reporting on the cohort of the certificate's enrolment, may open
    any learner's certificate and revoke it."""
    from app.learning.models import Enrolment
    from app.reports.services import visible_cohort_ids

    if not user.is_authenticated or not user.has_role(Role.OFFICER, Role.ADMIN):
        return False
    scope = visible_cohort_ids(user)
    if scope is None:
        return True
    cohort_id = db.session.scalar(
        select(Enrolment.cohort_id).where(Enrolment.id == certificate.enrolment_id)
    )
    return cohort_id is not None and cohort_id in scope


def revoke(certificate: Certificate, reason: str, by: User) -> bool:
    """Revoke once; False if it already was (the first reason stands)."""
    if certificate.is_revoked:
        return False
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by_id = by.id
    return True


def certificate_languages(certificate: Certificate) -> set[str]:
    """The languages a certificate can be printed in: those the course is complete in."""
    complete = set(
        db.session.scalars(
            select(CourseLanguage.locale).where(CourseLanguage.course_id == certificate.course_id)
        )
    )
    titled = set(certificate.content["course"]["titles"])
    return (complete & titled) or {certificate.content["course"]["source_language"]}
