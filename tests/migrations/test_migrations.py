"""`flask db upgrade` on an empty database builds exactly what the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from app.models import search_index


def test_upgrade_from_empty_matches_the_models(empty_database_url):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True}
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            # Only the search index's own tables (raw SQL, no model) are left out.
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, type_, parents: (
                        not (type_ == "table" and name in search_index.OWN_TABLES)
                    ),
                },
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()
