"""The migrations build exactly the schema the models describe, and downgrade to nothing."""

from pathlib import Path

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.conftest import make_config, scratch_database

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def test_upgrade_matches_the_models_and_downgrade_removes_everything(tmp_path):
    with scratch_database(tmp_path) as url:
        app = create_app(make_config(url))
        with app.app_context():
            flask_migrate.upgrade(directory=MIGRATIONS)
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "render_as_batch": True}
                )
                differences = compare_metadata(context, db.metadata)
            assert differences == []
            assert set(inspect(db.engine).get_table_names()) >= {"users", "alembic_version"}

            flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
            assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
            db.engine.dispose()


def test_migration_files_are_date_prefixed():
    names = [path.name for path in (Path(MIGRATIONS) / "versions").glob("*.py")]
    assert names
    assert all(name[:8].isdigit() and name[8] == "_" for name in names), names
