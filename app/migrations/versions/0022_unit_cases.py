"""The cases each unit touched, kept by the database (issue 18 point 2, the unit case list)

A unit's case list was a union of three look-ups (cases it leads, co-handles, held a task of) sorted whole: 2 s
at 1,000,000 cases on PostgreSQL. `unit_case` holds exactly that union, one row per (agency, petition) with the
petition's received_at, so the list reads one index newest first and stops at the page. Triggers keep it on every
write, Core and bulk inserts included, in the writer's transaction: a reason added inserts the row; a reason
removed (a lead or co-handling agency replaced, a task moved to another agency) re-checks the case's rows and
deletes those no reason holds any more — the same set as the union, never more, never less.

Revision ID: 0022_unit_cases
Revises: 0021_tallies
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_unit_cases"
down_revision = "0021_tallies"
branch_labels = None
depends_on = None


def reasons(cases: str, only: str = "") -> str:
    """The three reasons a unit touches a case, as (agency_id, petition_id, received_at) rows, over the petitions
    of `cases` (rows named p) that meet `only`."""
    where = f" WHERE {only}" if only else ""
    also = f" AND {only}" if only else ""
    return (
        f"SELECT p.lead_agency_id, p.id, p.received_at FROM {cases} WHERE p.lead_agency_id IS NOT NULL{also} "
        f"UNION SELECT c.agency_id, p.id, p.received_at FROM {cases} "
        f"JOIN petition_co_agency c ON c.petition_id = p.id{where} "
        f"UNION SELECT g.id, p.id, p.received_at FROM {cases} JOIN work_item w ON w.instance_id = p.instance_id "
        f"JOIN agency g ON g.code = w.agency_code{where}"
    )


# A unit_case row no reason holds any more (named in full: SQLite's triggers take no alias).
UNHELD = """NOT EXISTS (SELECT 1 FROM petition x WHERE x.id = unit_case.petition_id
    AND x.lead_agency_id = unit_case.agency_id)
  AND NOT EXISTS (SELECT 1 FROM petition_co_agency c WHERE c.petition_id = unit_case.petition_id
    AND c.agency_id = unit_case.agency_id)
  AND NOT EXISTS (SELECT 1 FROM petition x JOIN work_item w ON w.instance_id = x.instance_id
    JOIN agency g ON g.code = w.agency_code WHERE x.id = unit_case.petition_id AND g.id = unit_case.agency_id)"""
CO_HANDLED = "SELECT c.agency_id, p.id, p.received_at FROM inserted c JOIN petition p ON p.id = c.petition_id"
HELD = "JOIN agency g ON g.code = w.agency_code JOIN petition p ON p.instance_id = w.instance_id"

SQLITE = [
    "CREATE TRIGGER unit_case_petition_insert AFTER INSERT ON petition BEGIN "
    "INSERT OR IGNORE INTO unit_case (agency_id, petition_id, received_at) "
    + reasons("petition p", "p.id = new.id")
    + "; END",
    "CREATE TRIGGER unit_case_petition_update AFTER UPDATE OF lead_agency_id, instance_id, received_at ON petition "
    "WHEN old.lead_agency_id IS NOT new.lead_agency_id OR old.instance_id IS NOT new.instance_id "
    "OR old.received_at IS NOT new.received_at BEGIN "
    "UPDATE unit_case SET received_at = new.received_at WHERE petition_id = new.id; "
    "INSERT OR IGNORE INTO unit_case (agency_id, petition_id, received_at) "
    + reasons("petition p", "p.id = new.id")
    + "; "
    f"DELETE FROM unit_case WHERE unit_case.petition_id = new.id AND {UNHELD}; END",
    "CREATE TRIGGER unit_case_co_agency_insert AFTER INSERT ON petition_co_agency BEGIN "
    "INSERT OR IGNORE INTO unit_case (agency_id, petition_id, received_at) "
    "SELECT new.agency_id, p.id, p.received_at FROM petition p WHERE p.id = new.petition_id; END",
    "CREATE TRIGGER unit_case_co_agency_delete AFTER DELETE ON petition_co_agency BEGIN "
    f"DELETE FROM unit_case WHERE unit_case.petition_id = old.petition_id AND unit_case.agency_id = old.agency_id "
    f"AND {UNHELD}; END",
    "CREATE TRIGGER unit_case_work_item_insert AFTER INSERT ON work_item WHEN new.agency_code IS NOT NULL BEGIN "
    "INSERT OR IGNORE INTO unit_case (agency_id, petition_id, received_at) "
    "SELECT g.id, p.id, p.received_at FROM agency g JOIN petition p ON p.instance_id = new.instance_id "
    "WHERE g.code = new.agency_code; END",
    "CREATE TRIGGER unit_case_work_item_update AFTER UPDATE OF agency_code, instance_id ON work_item "
    "WHEN old.agency_code IS NOT new.agency_code OR old.instance_id IS NOT new.instance_id BEGIN "
    "INSERT OR IGNORE INTO unit_case (agency_id, petition_id, received_at) "
    "SELECT g.id, p.id, p.received_at FROM agency g JOIN petition p ON p.instance_id = new.instance_id "
    "WHERE g.code = new.agency_code; "
    "DELETE FROM unit_case WHERE unit_case.petition_id IN "
    "(SELECT id FROM petition WHERE instance_id = old.instance_id) "
    f"AND {UNHELD}; END",
    "CREATE TRIGGER unit_case_work_item_delete AFTER DELETE ON work_item WHEN old.agency_code IS NOT NULL BEGIN "
    "DELETE FROM unit_case WHERE unit_case.petition_id IN "
    "(SELECT id FROM petition WHERE instance_id = old.instance_id) "
    f"AND {UNHELD}; END",
]
SQLITE_TRIGGERS = ("petition_insert", "petition_update", "co_agency_insert", "co_agency_delete",
                   "work_item_insert", "work_item_update", "work_item_delete")  # fmt: skip

# PostgreSQL: inserts by statement over their transition table (a bulk INSERT … SELECT is one join, not a
# trigger call per row); updates and deletes, which the operations make one at a time, by row.
INSERTED = "INSERT INTO unit_case (agency_id, petition_id, received_at) {rows} ON CONFLICT DO NOTHING"
POSTGRESQL = [
    f"""CREATE FUNCTION unit_case_petitions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {INSERTED.format(rows=reasons("inserted p"))};
  RETURN NULL;
END $$""",
    "CREATE TRIGGER unit_case_petition_insert AFTER INSERT ON petition REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION unit_case_petitions_inserted()",
    f"""CREATE FUNCTION unit_case_petition_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.received_at IS DISTINCT FROM NEW.received_at THEN
    UPDATE unit_case SET received_at = NEW.received_at WHERE petition_id = NEW.id;
  END IF;
  {INSERTED.format(rows=reasons("petition p", "p.id = NEW.id"))};
  DELETE FROM unit_case WHERE unit_case.petition_id = NEW.id AND {UNHELD};
  RETURN NULL;
END $$""",
    "CREATE TRIGGER unit_case_petition_update AFTER UPDATE OF lead_agency_id, instance_id, received_at ON petition "
    "FOR EACH ROW WHEN (OLD.lead_agency_id IS DISTINCT FROM NEW.lead_agency_id "
    "OR OLD.instance_id IS DISTINCT FROM NEW.instance_id OR OLD.received_at IS DISTINCT FROM NEW.received_at) "
    "EXECUTE FUNCTION unit_case_petition_updated()",
    f"""CREATE FUNCTION unit_case_co_agencies_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {INSERTED.format(rows=CO_HANDLED)};
  RETURN NULL;
END $$""",
    "CREATE TRIGGER unit_case_co_agency_insert AFTER INSERT ON petition_co_agency REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION unit_case_co_agencies_inserted()",
    f"""CREATE FUNCTION unit_case_co_agency_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM unit_case WHERE unit_case.petition_id = OLD.petition_id AND unit_case.agency_id = OLD.agency_id
    AND {UNHELD};
  RETURN NULL;
END $$""",
    "CREATE TRIGGER unit_case_co_agency_delete AFTER DELETE ON petition_co_agency "
    "FOR EACH ROW EXECUTE FUNCTION unit_case_co_agency_deleted()",
    f"""CREATE FUNCTION unit_case_work_items_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {INSERTED.format(rows=f"SELECT DISTINCT g.id, p.id, p.received_at FROM inserted w {HELD}")};
  RETURN NULL;
END $$""",
    "CREATE TRIGGER unit_case_work_item_insert AFTER INSERT ON work_item REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION unit_case_work_items_inserted()",
    f"""CREATE FUNCTION unit_case_work_item_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    {
        INSERTED.format(
            rows="SELECT g.id, p.id, p.received_at FROM agency g JOIN petition p "
            "ON p.instance_id = NEW.instance_id WHERE g.code = NEW.agency_code"
        )
    };
  END IF;
  DELETE FROM unit_case WHERE unit_case.petition_id IN (SELECT id FROM petition WHERE instance_id = OLD.instance_id)
    AND {UNHELD};
  RETURN NULL;
END $$""",
    "CREATE TRIGGER unit_case_work_item_update AFTER UPDATE OF agency_code, instance_id ON work_item "
    "FOR EACH ROW WHEN (OLD.agency_code IS DISTINCT FROM NEW.agency_code OR OLD.instance_id IS DISTINCT FROM "
    "NEW.instance_id) EXECUTE FUNCTION unit_case_work_item_changed()",
    "CREATE TRIGGER unit_case_work_item_delete AFTER DELETE ON work_item FOR EACH ROW "
    "WHEN (OLD.agency_code IS NOT NULL) EXECUTE FUNCTION unit_case_work_item_changed()",
]
POSTGRESQL_TRIGGERS = [("petition_insert", "petition"), ("petition_update", "petition"),
                       ("co_agency_insert", "petition_co_agency"), ("co_agency_delete", "petition_co_agency"),
                       ("work_item_insert", "work_item"), ("work_item_update", "work_item"),
                       ("work_item_delete", "work_item")]  # fmt: skip
POSTGRESQL_FUNCTIONS = ("petitions_inserted", "petition_updated", "co_agencies_inserted", "co_agency_deleted",
                        "work_items_inserted", "work_item_changed")  # fmt: skip


def upgrade():
    op.create_table(
        "unit_case",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_unit_case_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petition.id"], name=op.f("fk_unit_case_petition_id_petition"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("agency_id", "petition_id", name=op.f("pk_unit_case")),
    )
    op.execute(f"INSERT INTO unit_case (agency_id, petition_id, received_at) {reasons('petition p')}")
    op.create_index(
        "ix_unit_case_agency_received", "unit_case", ["agency_id", "received_at", "petition_id"], unique=False
    )
    op.create_index("ix_unit_case_petition", "unit_case", ["petition_id"], unique=False)
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER unit_case_{trigger}")
    else:
        for trigger, table in POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER unit_case_{trigger} ON {table}")
        for function in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION unit_case_{function}()")
    op.drop_index("ix_unit_case_petition", table_name="unit_case")
    op.drop_index("ix_unit_case_agency_received", table_name="unit_case")
    op.drop_table("unit_case")
