"""client names are unique however they are typed: clients.name_key (trimmed, white space
collapsed, invisible format characters removed, case-folded; app/domain/names.py) with a
unique index

Existing duplicates are NOT renamed or merged: the upgrade stops before changing anything
and names them ("Acme AS" and "ACME AS " may be one client or two, which only the agency
can tell). Rename one of each pair (Clients → Edit) with the running version, then upgrade.

Revision ID: a14a_client_name_key
Revises: c13e7a2b9d41
Create Date: 2026-11-26 18:00:00.000000

"""
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from app.domain.names import NAME_KEY_MAX, name_key

# revision identifiers, used by Alembic.
revision = "a14a_client_name_key"
down_revision = "c13e7a2b9d41"
branch_labels = None
depends_on = None

CLIENTS = sa.table(
    "clients", sa.column("id", sa.Integer), sa.column("name"), sa.column("name_key")
)


class DuplicateClientNames(RuntimeError):
    """Clients whose names differ only in case or spacing: the agency must tell them apart."""


def _keys_or_refuse(connection) -> dict[int, str]:
    rows = connection.execute(
        sa.select(CLIENTS.c.id, CLIENTS.c.name).order_by(CLIENTS.c.id)
    ).all()
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        groups[name_key(row.name)].append(row)
    twins = [group for key, group in groups.items() if len(group) > 1 or not key]
    if twins:
        listed = "\n".join(
            "  " + ", ".join(f"#{row.id} {row.name!r}" for row in group) for group in twins
        )
        raise DuplicateClientNames(
            "These clients have the same name once case and spacing are ignored (or a name "
            "with no visible characters); nothing was changed. Rename one of each group "
            "(Clients → Edit) and run the upgrade again:\n" + listed
        )
    return {row.id: name_key(row.name) for row in rows}


def upgrade():
    connection = op.get_bind()
    # Checked before any change: SQLite does not roll back ALTER TABLE with the revision.
    keys = _keys_or_refuse(connection)
    # ADD COLUMN with a default needs no table rebuild on SQLite (a rebuild of `clients`
    # would trip over the rows that refer to it). The default is never kept: every row
    # gets its key here, and the model sets it on every insert and rename.
    op.add_column(
        "clients",
        sa.Column("name_key", sa.String(NAME_KEY_MAX), server_default="", nullable=False),
    )
    for client_id, key in keys.items():
        connection.execute(
            CLIENTS.update().where(CLIENTS.c.id == client_id).values(name_key=key)
        )
    op.create_index(op.f("ix_clients_name_key"), "clients", ["name_key"], unique=True)


def downgrade():
    op.drop_index(op.f("ix_clients_name_key"), table_name="clients")
    op.drop_column("clients", "name_key")
