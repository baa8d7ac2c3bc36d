"""Database helpers: UTC timestamps, conflict-free inserts, migration rendering."""

import functools
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every engine (SQLite forgets the zone on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


def render_migration_item(type_, obj, autogen_context):
    """Write our column types into migrations as the plain SQLAlchemy types they store."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _dialect() -> str:
    from app.extensions import db

    return db.session.get_bind().dialect.name


# The statements are built once per table (and columns): they run on every progress write,
# and building one costs more than running it. The values travel as parameters.
@functools.lru_cache(maxsize=64)
def _insert_ignoring(table, dialect: str):
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing().returning(table.c.id)


@functools.lru_cache(maxsize=64)
def _upsert(table, dialect: str, keys: tuple[str, ...], names: tuple[str, ...]):
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c[key] for key in keys],
        set_={name: statement.excluded[name] for name in names if name not in keys},
    )


def insert_ignoring_conflicts(model, **values) -> int | None:
    """INSERT a row unless it collides with a unique constraint; the new row's id, or None
    if none was added.

    Safe under concurrent requests on PostgreSQL and SQLite alike (ON CONFLICT DO NOTHING).
    """
    from app.extensions import db

    return db.session.scalar(_insert_ignoring(model.__table__, _dialect()), values)


def upsert(model, keys: tuple[str, ...], **values) -> None:
    """INSERT a row, or UPDATE the row with the same `keys` (a unique constraint) to these
    values: one statement, safe under concurrent requests on both engines."""
    from app.extensions import db

    statement = _upsert(model.__table__, _dialect(), keys, tuple(sorted(values)))
    db.session.execute(statement, values)


def assign(obj, **values) -> bool:
    """Set attributes that differ; True if any did (so an unchanged import writes nothing)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
