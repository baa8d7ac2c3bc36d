"""Courses, their modules and lessons, and every text of them per locale.

Each translatable object has a `source_version`, raised when its text in the course's source
language changes; each translation row records the version it translates, so a translation
with a lower version is out of date.
"""

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db

LEVELS = {
    "beginner": _l("Beginner"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}
KEY_MAX = 80
TITLE_MAX = 200


class TranslationColumns:
    """The columns every translation row has, beside its owner's id and its texts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(8))
    source_version: Mapped[int] = mapped_column(default=1)
    # Raised by every save in the browser, so a save based on an older revision is refused.
    revision: Mapped[int] = mapped_column(default=1)
    # The source-language texts this translation was made from, to show what changed since.
    source_snapshot: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def is_out_of_date(self, owner_version: int) -> bool:
        return self.source_version < owner_version


course_instructors = Table(
    "course_instructors",
    db.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Course(db.Model):
    """A course as learners see it, or (`is_draft`) the working copy its instructors edit.

    A slug names at most one published row and one draft; publishing applies the draft to
    the published row, matching every object by its key, as a file import does.
    """

    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("level IN ('beginner', 'intermediate', 'advanced')", name="level"),
        UniqueConstraint("slug", "is_draft"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(KEY_MAX))
    is_draft: Mapped[bool] = mapped_column(default=False)
    source_locale: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(20))
    estimated_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    is_published: Mapped[bool] = mapped_column(default=False)
    source_version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1)
    # Raised by every import or publish that changes what learners read: the key under
    # which app servers cache a published course's outline and lessons.
    content_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # On a draft: when it was last changed and last published.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    translations: Mapped[list["CourseTranslation"]] = relationship(
        back_populates="course", cascade="all, delete-orphan", passive_deletes=True
    )
    modules: Mapped[list["Module"]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Module.position",
    )
    languages: Mapped[list["CourseLanguage"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    media: Mapped[list["CourseMedia"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CourseMedia.name"
    )

    instructors = relationship("User", secondary=course_instructors)

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"

    def can_edit(self, user) -> bool:
        """Admins, and the course's own instructors."""
        if not user.is_authenticated:
            return False
        return user.role == "admin" or any(teacher.id == user.id for teacher in self.instructors)


class CourseTranslation(TranslationColumns, db.Model):
    __tablename__ = "course_translations"
    __table_args__ = (UniqueConstraint("course_id", "locale"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(Text)

    course: Mapped[Course] = relationship(back_populates="translations")


class CourseLanguage(db.Model):
    """A locale in which every text of a course exists: what the catalogue filters on."""

    __tablename__ = "course_languages"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    position: Mapped[int]
    source_version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1)

    course: Mapped[Course] = relationship(back_populates="modules")
    translations: Mapped[list["ModuleTranslation"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="module", passive_deletes=True, order_by="Lesson.position"
    )


class ModuleTranslation(TranslationColumns, db.Model):
    __tablename__ = "module_translations"
    __table_args__ = (UniqueConstraint("module_id", "locale"),)

    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))


class Lesson(db.Model):
    __tablename__ = "lessons"
    # Keys are unique in a course, so a lesson keeps its identity (and learners' progress)
    # when it moves to another module.
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    position: Mapped[int]
    is_required: Mapped[bool] = mapped_column(default=True)
    source_version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1)

    course: Mapped[Course] = relationship()
    module: Mapped[Module] = relationship(back_populates="lessons")
    translations: Mapped[list["LessonTranslation"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class LessonTranslation(TranslationColumns, db.Model):
    __tablename__ = "lesson_translations"
    __table_args__ = (UniqueConstraint("lesson_id", "locale"),)

    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body_markdown: Mapped[str] = mapped_column(Text)
    # Rendered and sanitised once, when the text is saved; pages only insert it.
    body_html: Mapped[str] = mapped_column(Text)


class CourseMedia(db.Model):
    """An image of a course: its name in the course files and where the storage keeps it."""

    __tablename__ = "course_media"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(TITLE_MAX), primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(TITLE_MAX))
