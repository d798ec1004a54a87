"""Baseline: the schema of the release before migrations (commit 85ac3c1), and the audit log's guard.

Databases that release created (without an alembic_version table) are stamped with this revision, then upgraded.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_GUARD = (
    "CREATE TRIGGER audit_no_{verb} BEFORE {verb} ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
)
POSTGRESQL_GUARD = """
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""


def upgrade():
    op.create_table(
        "calendar_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.String(length=50), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("off", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_day")),
        sa.UniqueConstraint("calendar", "day", name=op.f("uq_calendar_day_calendar_day")),
    )
    op.create_table(
        "calendar_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_revision")),
    )
    op.create_table(
        "deadline_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(length=50), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("remind_before", sa.Integer(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_setting")),
        sa.UniqueConstraint("province", "step", name=op.f("uq_deadline_setting_province_step")),
    )
    op.create_table(
        "field",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_field")),
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index(op.f("ix_login_failure_at"), "login_failure", ["at"], unique=False)
    op.create_index(op.f("ix_login_failure_remote_addr"), "login_failure", ["remote_addr"], unique=False)
    op.create_index(op.f("ix_login_failure_username"), "login_failure", ["username"], unique=False)
    op.create_table(
        "petition_status",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("label_vi", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_petition_status")),
    )
    op.create_table(
        "process_definition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("bpmn_xml", sa.Text(), nullable=False),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("deployed_at", sa.DateTime(), nullable=False),
        sa.Column("deployed_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_definition")),
        sa.UniqueConstraint("process_key", "content_hash", name=op.f("uq_process_definition_process_key_content_hash")),
        sa.UniqueConstraint("process_key", "version", name=op.f("uq_process_definition_process_key_version")),
    )
    op.create_index(op.f("ix_process_definition_process_key"), "process_definition", ["process_key"], unique=False)
    op.create_table(
        "province",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("policy", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_province")),
    )
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("province_code", sa.String(length=50), nullable=True),
        sa.Column("is_intake_office", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["agency.id"], name=op.f("fk_agency_parent_id_agency")),
        sa.ForeignKeyConstraint(["province_code"], ["province.code"], name=op.f("fk_agency_province_code_province")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("code", name=op.f("uq_agency_code")),
    )
    op.create_index(op.f("ix_agency_province_code"), "agency", ["province_code"], unique=False)
    op.create_table(
        "process_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("business_key", sa.String(length=50), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("state_json", sa.Text(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("end_event", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["process_definition.id"],
            name=op.f("fk_process_instance_definition_id_process_definition"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_instance")),
    )
    op.create_index(op.f("ix_process_instance_business_key"), "process_instance", ["business_key"], unique=False)
    op.create_index(op.f("ix_process_instance_definition_id"), "process_instance", ["definition_id"], unique=False)
    op.create_index(op.f("ix_process_instance_status"), "process_instance", ["status"], unique=False)
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_app_user_agency_id_agency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_index(op.f("ix_app_user_agency_id"), "app_user", ["agency_id"], unique=False)
    op.create_table(
        "timer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("bpmn_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_timer_instance_id_process_instance")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timer")),
        sa.UniqueConstraint("instance_id", "task_id", name=op.f("uq_timer_instance_id_task_id")),
    )
    op.create_index(op.f("ix_timer_due_at"), "timer", ["due_at"], unique=False)
    op.create_table(
        "work_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("business_key", sa.String(length=50), nullable=True),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("bpmn_id", sa.String(length=100), nullable=False),
        sa.Column("process_key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lane", sa.String(length=200), nullable=True),
        sa.Column("candidate_groups", sa.String(length=300), nullable=False),
        sa.Column("candidate_users", sa.String(length=300), nullable=False),
        sa.Column("agency_code", sa.String(length=50), nullable=True),
        sa.Column("assignee", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("due_step", sa.String(length=30), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("completed_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_work_item_instance_id_process_instance")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_item")),
        sa.UniqueConstraint("instance_id", "task_id", name=op.f("uq_work_item_instance_id_task_id")),
    )
    op.create_index(op.f("ix_work_item_assignee"), "work_item", ["assignee"], unique=False)
    op.create_index("ix_work_item_inbox", "work_item", ["state", "agency_code", "due_at"], unique=False)
    op.create_index("ix_work_item_instance_state", "work_item", ["instance_id", "state"], unique=False)
    op.create_table(
        "petition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("field_code", sa.String(length=50), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("sender_address", sa.String(length=300), nullable=False),
        sa.Column("sender_phone", sa.String(length=30), nullable=False),
        sa.Column("sender_email", sa.String(length=200), nullable=False),
        sa.Column("sender_user_id", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=100), nullable=True),
        sa.Column("province_code", sa.String(length=50), nullable=False),
        sa.Column("lead_agency_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("state_secret", sa.Boolean(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("public_summary", sa.Text(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("forwarded_at", sa.DateTime(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["field_code"], ["field.code"], name=op.f("fk_petition_field_code_field")),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_petition_instance_id_process_instance")
        ),
        sa.ForeignKeyConstraint(["lead_agency_id"], ["agency.id"], name=op.f("fk_petition_lead_agency_id_agency")),
        sa.ForeignKeyConstraint(["province_code"], ["province.code"], name=op.f("fk_petition_province_code_province")),
        sa.ForeignKeyConstraint(["sender_user_id"], ["app_user.id"], name=op.f("fk_petition_sender_user_id_app_user")),
        sa.ForeignKeyConstraint(["status"], ["petition_status.code"], name=op.f("fk_petition_status_petition_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_petition_tracking_code")),
    )
    op.create_index(op.f("ix_petition_instance_id"), "petition", ["instance_id"], unique=False)
    op.create_index("ix_petition_lead_status", "petition", ["lead_agency_id", "status"], unique=False)
    op.create_index(op.f("ix_petition_received_at"), "petition", ["received_at"], unique=False)
    op.create_index(op.f("ix_petition_sender_user_id"), "petition", ["sender_user_id"], unique=False)
    op.create_index("ix_petition_status_province", "petition", ["status", "province_code"], unique=False)
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_attachment_petition_id_petition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_petition_id"), "attachment", ["petition_id"], unique=False)
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("task_name", sa.String(length=300), nullable=True),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"], ["process_instance.id"], name=op.f("fk_audit_entry_instance_id_process_instance")
        ),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_audit_entry_petition_id_petition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_action"), "audit_entry", ["action"], unique=False)
    op.create_index(op.f("ix_audit_entry_at"), "audit_entry", ["at"], unique=False)
    op.create_index(op.f("ix_audit_entry_petition_id"), "audit_entry", ["petition_id"], unique=False)
    op.create_index("ix_audit_instance_at", "audit_entry", ["instance_id", "at"], unique=False)
    op.create_table(
        "case_deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=30), nullable=False),
        sa.Column("policy", sa.String(length=50), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("overdue_at", sa.DateTime(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_case_deadline_petition_id_petition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_deadline")),
    )
    op.create_index("ix_case_deadline_petition_step", "case_deadline", ["petition_id", "step"], unique=False)
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_notification_petition_id_petition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index(op.f("ix_notification_petition_id"), "notification", ["petition_id"], unique=False)
    op.create_table(
        "petition_co_agency",
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_petition_co_agency_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petition.id"], name=op.f("fk_petition_co_agency_petition_id_petition")
        ),
        sa.PrimaryKeyConstraint("petition_id", "agency_id", name=op.f("pk_petition_co_agency")),
    )
    op.create_table(
        "rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("rated_by", sa.String(length=100), nullable=False),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_rating_petition_id_petition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating")),
        sa.UniqueConstraint("petition_id", name=op.f("uq_rating_petition_id")),
    )
    _guard_audit_log()


def _guard_audit_log():
    """The audit log refuses updates and deletes in the database too, not only through the ORM."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("update", "delete"):
            op.execute(SQLITE_GUARD.format(verb=verb))
    elif dialect == "postgresql":
        op.execute(POSTGRESQL_GUARD)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_no_change ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
    op.drop_table("rating")
    op.drop_table("petition_co_agency")
    op.drop_index(op.f("ix_notification_petition_id"), table_name="notification")
    op.drop_table("notification")
    op.drop_index("ix_case_deadline_petition_step", table_name="case_deadline")
    op.drop_table("case_deadline")
    op.drop_index("ix_audit_instance_at", table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_petition_id"), table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_at"), table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_action"), table_name="audit_entry")
    op.drop_table("audit_entry")
    op.drop_index(op.f("ix_attachment_petition_id"), table_name="attachment")
    op.drop_table("attachment")
    op.drop_index("ix_petition_status_province", table_name="petition")
    op.drop_index(op.f("ix_petition_sender_user_id"), table_name="petition")
    op.drop_index(op.f("ix_petition_received_at"), table_name="petition")
    op.drop_index("ix_petition_lead_status", table_name="petition")
    op.drop_index(op.f("ix_petition_instance_id"), table_name="petition")
    op.drop_table("petition")
    op.drop_index("ix_work_item_instance_state", table_name="work_item")
    op.drop_index("ix_work_item_inbox", table_name="work_item")
    op.drop_index(op.f("ix_work_item_assignee"), table_name="work_item")
    op.drop_table("work_item")
    op.drop_index(op.f("ix_timer_due_at"), table_name="timer")
    op.drop_table("timer")
    op.drop_index(op.f("ix_app_user_agency_id"), table_name="app_user")
    op.drop_table("app_user")
    op.drop_index(op.f("ix_process_instance_status"), table_name="process_instance")
    op.drop_index(op.f("ix_process_instance_definition_id"), table_name="process_instance")
    op.drop_index(op.f("ix_process_instance_business_key"), table_name="process_instance")
    op.drop_table("process_instance")
    op.drop_index(op.f("ix_agency_province_code"), table_name="agency")
    op.drop_table("agency")
    op.drop_table("province")
    op.drop_index(op.f("ix_process_definition_process_key"), table_name="process_definition")
    op.drop_table("process_definition")
    op.drop_table("petition_status")
    op.drop_index(op.f("ix_login_failure_username"), table_name="login_failure")
    op.drop_index(op.f("ix_login_failure_remote_addr"), table_name="login_failure")
    op.drop_index(op.f("ix_login_failure_at"), table_name="login_failure")
    op.drop_table("login_failure")
    op.drop_table("field")
    op.drop_table("deadline_setting")
    op.drop_table("calendar_revision")
    op.drop_table("calendar_day")
