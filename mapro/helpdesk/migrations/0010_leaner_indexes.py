"""Drop the indexes another index already begins (docs/architecture.md, "Indexes"): the single-
column indexes of eight foreign keys that a composite index leads with (five of the ticket,
which every change rewrites), and the varchar_pattern_ops twins of three unique character
fields only ever looked up exactly (their uniqueness moves to a named UniqueConstraint). The
foreign keys keep their constraints: Django's AlterField would drop and re-add each one, and so
re-validate it over the whole table, to change nothing."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0009_requester_list_indexes"),
        ("organization", "0003_zero_padded_unit_paths"),
        ("procedures", "0009_instance_state_json"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attachment",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="helpdesk.ticket",
                        verbose_name="ticket",
                    ),
                ),
                migrations.AlterField(
                    model_name="slatarget",
                    name="category",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sla_targets",
                        to="helpdesk.category",
                        verbose_name="categoría",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="responsable",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="category",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="helpdesk.category",
                        verbose_name="categoría",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="requester",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="helpdesk_tickets",
                        to="organization.person",
                        verbose_name="solicitante",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="requester_unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organization.unit",
                        verbose_name="unidad del solicitante",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="team",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organization.unit",
                        verbose_name="equipo responsable",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticketaction",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="helpdesk.ticket",
                        verbose_name="ticket",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "helpdesk_attachment_ticket_id_9aa7f330"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "helpdesk_attachment_ticket_id_9aa7f330" ON "helpdesk_attachment" ("ticket_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "helpdesk_slatarget_category_id_c681b649"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "helpdesk_slatarget_category_id_c681b649" ON "helpdesk_slatarget" ("category_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "helpdesk_ticket_assignee_id_fd8858a9"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "helpdesk_ticket_assignee_id_fd8858a9" ON "helpdesk_ticket" ("assignee_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "helpdesk_ticket_category_id_f691e911"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "helpdesk_ticket_category_id_f691e911" ON "helpdesk_ticket" ("category_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "helpdesk_ticket_requester_id_5facb4dc"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "helpdesk_ticket_requester_id_5facb4dc" ON "helpdesk_ticket" ("requester_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "helpdesk_ticket_requester_unit_id_a54b4602"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "helpdesk_ticket_requester_unit_id_a54b4602" ON "helpdesk_ticket" ("requester_unit_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "helpdesk_ticket_team_id_beee9aaf"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "helpdesk_ticket_team_id_beee9aaf" ON "helpdesk_ticket" ("team_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "helpdesk_ticketaction_ticket_id_1ac8bef9"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "helpdesk_ticketaction_ticket_id_1ac8bef9" ON "helpdesk_ticketaction" ("ticket_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="attachment",
            name="stored_name",
            field=models.CharField(max_length=120, verbose_name="nombre almacenado"),
        ),
        migrations.AlterField(
            model_name="category",
            name="code",
            field=models.SlugField(db_index=False, max_length=60, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="ticket",
            name="number",
            field=models.CharField(editable=False, max_length=20, verbose_name="número"),
        ),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.UniqueConstraint(
                fields=("stored_name",), name="hd_attachment_stored_name_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(fields=("code",), name="hd_category_code_uniq"),
        ),
        migrations.AddConstraint(
            model_name="ticket",
            constraint=models.UniqueConstraint(fields=("number",), name="hd_ticket_number_uniq"),
        ),
    ]
