"""On PostgreSQL, make the audit table append-only at the database level.

A trigger rejects every UPDATE, DELETE and TRUNCATE on ``audit_auditevent``, whoever issues it
(the application, a console session, a careless script). It does not stop the table's owner from
dropping the trigger: in production the application's database role should not own the table
(see docs). TRUNCATE passes only when the session sets ``mapro.allow_audit_truncate = on``,
which the test suite sets on its throwaway database so that it can flush between tests;
UPDATE and DELETE have no such escape. SQLite gets no trigger (the chain still shows edits).
"""

from django.db import migrations

FORWARD_SQL = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('mapro.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'La auditoría solo admite inserciones: % rechazado en %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditevent_no_update_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: no placeholders, "%" is literal

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_actor_kept_and_viewer_indexes")]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD_SQL), _on_postgresql(REVERSE_SQL)),
    ]
