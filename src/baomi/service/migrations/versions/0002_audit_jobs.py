"""archive audit jobs; incident events from audits

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        sa.Column("chains", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_audit_jobs_unit_id_units")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_audit_jobs_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_jobs")),
    )
    with op.batch_alter_table("audit_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_jobs_unit_id"), ["unit_id"], unique=False)
    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.alter_column("check_id", existing_type=sa.String(length=32), nullable=True)
        batch_op.add_column(sa.Column("audit_job_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("msgid", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("chain", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_incident_events_audit_job_id_audit_jobs"), "audit_jobs", ["audit_job_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_incident_events_audit_job_id"), ["audit_job_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_events_audit_job_id"))
        batch_op.drop_constraint(batch_op.f("fk_incident_events_audit_job_id_audit_jobs"), type_="foreignkey")
        batch_op.drop_column("chain")
        batch_op.drop_column("msgid")
        batch_op.drop_column("audit_job_id")
        batch_op.alter_column("check_id", existing_type=sa.String(length=32), nullable=False)
    with op.batch_alter_table("audit_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_jobs_unit_id"))
    op.drop_table("audit_jobs")
