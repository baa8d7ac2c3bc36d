"""The `flask lms` command group."""

import sqlite3
from pathlib import Path

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import NAME_MAX, Role
from app.courses import importer
from app.courses.exporter import read_zip
from app.courses.files import read_courses
from app.courses.models import Course
from app.extensions import db
from app.i18n import COUNTRY_CODES, LOCALES
from app.learning import services as learning

lms = AppGroup("lms", help="Passerelle administration commands.")

DEMO_USERS = (
    (Role.LEARNER, "Amina Diallo", "learner@example.org", "SN", "fr"),
    (Role.INSTRUCTOR, "Joseph Mwangi", "instructor@example.org", "KE", "sw"),
    (Role.OFFICER, "Farhana Rahman", "officer@example.org", "BD", "en"),
    (Role.ADMIN, "Lucía Fernández", "admin@example.org", "PE", "es"),
)
DEMO_PASSWORD = "passerelle-demo"  # noqa: S105 - printed for the demo, never for production


@lms.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), default="learner")
@click.option("--country", required=True, help="ISO 3166 country code, such as KE.")
@click.option("--locale", type=click.Choice(LOCALES), default="en", show_default=True)
@click.password_option()
def create_user(email, name, role, country, locale, password):
    """Create an account with any role."""
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="--email") from error
    if not name.strip() or len(name) > NAME_MAX:
        raise click.BadParameter(f"Give a name of 1 to {NAME_MAX} characters.", param_hint="--name")
    if country.upper() not in COUNTRY_CODES:
        raise click.BadParameter(
            f"{country} is not an ISO 3166 country code.", param_hint="--country"
        )
    problem = accounts.password_problem(password, email=email, name=name)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    registration = accounts.Registration(
        name=name, email=email, password=password, country=country.upper(), locale=locale, role=role
    )
    try:
        user = accounts.register_user(registration)
    except accounts.EmailTaken as error:
        raise click.ClickException(f"An account already uses {email}.") from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@lms.command("seed-demo")
def seed_demo():
    """Create one demo user of each role (skips those that exist); the demo instructor
    teaches every course that has no instructor yet."""
    for role, name, email, country, locale in DEMO_USERS:
        if accounts.find_user_by_email(email) is None:
            accounts.register_user(
                accounts.Registration(name, email, DEMO_PASSWORD, country, locale, role=role.value)
            )
    teacher = accounts.find_user_by_email(DEMO_USERS[1][2])
    for course in db.session.scalars(select(Course).where(~Course.instructors.any())):
        course.instructors.append(teacher)
    db.session.commit()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for role, _name, email, _country, _locale in DEMO_USERS:
        click.echo(f"  {role.value:<11} {email}")


@lms.command("import-courses")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def import_courses(path: Path | None):
    """Validate course folders (or a course zip), then import them in one transaction."""
    folder = path or Path(current_app.root_path).parent / "courses"
    if folder.suffix.lower() == ".zip" and folder.is_file():
        source, problems = read_zip(folder.read_bytes())
        sources = [source] if source else []
        problems = [f"{folder}: {problem}" for problem in problems]
    else:
        sources, problems = read_courses(folder)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(problems)} problem(s) found; nothing was imported.")
    report = importer.import_courses(sources)
    db.session.commit()
    for outcome in ("created", "updated", "unchanged"):
        for slug in getattr(report, outcome):
            click.echo(f"{outcome:<9} {slug}")


@lms.command("create-cohort")
@click.option("--name", required=True)
@click.option("--course", "slugs", multiple=True, required=True, help="A course slug; repeatable.")
@click.option("--country", help="ISO 3166 country code, such as SN.")
@click.option("--organisation")
@click.option("--starts", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--ends", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
def create_cohort(name, slugs, country, organisation, starts, ends):
    """Create a cohort for some courses and print its join code."""
    query = select(Course).where(Course.slug.in_(slugs), Course.is_draft.is_(False))
    courses = list(db.session.scalars(query))
    missing = set(slugs) - {course.slug for course in courses}
    if missing:
        raise click.BadParameter(f"no course {', '.join(sorted(missing))}", param_hint="--course")
    if country and country.upper() not in COUNTRY_CODES:
        raise click.BadParameter(
            f"{country} is not an ISO 3166 country code.", param_hint="--country"
        )
    if not name.strip() or len(name) > 120:
        raise click.BadParameter("Give a name of 1 to 120 characters.", param_hint="--name")
    if starts and ends and ends < starts:
        raise click.BadParameter("The cohort ends before it starts.", param_hint="--ends")
    cohort = learning.create_cohort(
        name,
        courses,
        country=country.upper() if country else None,
        organisation=organisation,
        starts_on=starts.date() if starts else None,
        ends_on=ends.date() if ends else None,
    )
    db.session.commit()
    click.echo(
        f"Created cohort {cohort.name}: join code {learning.format_join_code(cohort.join_code)}"
    )


@lms.command("add-instructor")
@click.option("--course", "slug", required=True)
@click.option("--email", required=True)
def add_instructor(slug, email):
    """Let an instructor teach (and edit) a course."""
    # The published course and its draft, when someone is editing it.
    courses = list(db.session.scalars(select(Course).where(Course.slug == slug)))
    user = accounts.find_user_by_email(email)
    if not courses or user is None:
        raise click.ClickException("No such course or user.")
    if user.role not in ("instructor", "admin"):
        raise click.ClickException(f"{email} is a {user.role}, not an instructor.")
    for course in courses:
        if user not in course.instructors:
            course.instructors.append(user)
    db.session.commit()
    click.echo(f"{email} teaches {slug}.")


@lms.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup(target: Path):
    """Copy the SQLite database to TARGET while the site keeps running (online backup)."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException(
            "This database is PostgreSQL: back it up with pg_dump (see README.md)."
        )
    if target.exists():
        raise click.ClickException(f"{target} exists already; choose a new file.")
    source = db.engine.raw_connection()
    try:
        with sqlite3.connect(target) as copy:
            # Page by page, letting the site's own writes go on between steps.
            source.driver_connection.backup(copy, pages=1024, sleep=0.005)
        copy.close()
    finally:
        source.close()
    click.echo(f"Backed up to {target} ({target.stat().st_size:,} bytes).")


@lms.command("seed-benchmark")
@click.option("--learners", default=10_000, show_default=True)
@click.option("--enrolments", default=50_000, show_default=True)
@click.option("--progress", default=500_000, show_default=True, help="Lesson-progress rows.")
@click.option("--attempts", default=100_000, show_default=True, help="Quiz attempts.")
def seed_benchmark_command(learners, enrolments, progress, attempts):
    """Fill an empty database with the benchmark data set of DESIGN.md."""
    from app.reports.seed import seed_benchmark

    made = seed_benchmark(learners, enrolments, progress, attempts)
    db.session.commit()
    click.echo(", ".join(f"{count:,} {what}" for what, count in made.items()))
