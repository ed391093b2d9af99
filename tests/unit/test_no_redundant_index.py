"""No index repeats a unique constraint's: an index whose columns lead a unique
constraint (or the primary key) on its table answers no lookup that the constraint's own
index cannot, and is written on every insert for nothing (a21_redundant_indexes: twenty-two
entries on each submit). An index leading a longer index is left to judgement: the
archive's single-column indexes beside its ordered ones were chosen for their plans."""

from sqlalchemy import (
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
)

import app.models  # noqa: F401  (registers every table)
from app.extensions import db


def _redundant(table) -> list[str]:
    rules = [
        (constraint.name, tuple(c.name for c in constraint.columns))
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)
    ]
    rules += [(i.name, tuple(c.name for c in i.columns)) for i in table.indexes if i.unique]
    found = []
    for index in table.indexes:
        columns = tuple(c.name for c in index.columns)
        if index.unique or not columns:  # a rule itself; an index on expressions
            continue
        found += [
            f"{table.name}.{index.name} leads {name}"
            for name, rule in rules
            if len(rule) > len(columns) and rule[: len(columns)] == columns
        ]
    return found


def test_no_index_leads_a_unique_constraint_on_its_table():
    assert [found for table in db.metadata.sorted_tables for found in _redundant(table)] == []


def test_the_rule_finds_an_index_that_leads_a_unique_constraint():
    table = Table(
        "probe",
        MetaData(),
        Column("a", Integer),
        Column("b", Integer),
        UniqueConstraint("a", "b", name="uq_probe_a_b"),
        Index("ix_probe_a", "a"),
        Index("ix_probe_b", "b"),
    )
    assert _redundant(table) == ["probe.ix_probe_a leads uq_probe_a_b"]
