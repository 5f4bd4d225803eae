"""A person's previous personal code (Reg. 401 Annex 1 3.15), and staff roles with an explicit term
(Reg. 401 Annex 2): the centre admin role, and `permanent` so that "no end date" is never an accident.

Existing roles without an end date were permanent grants: they are marked so before the database
starts to demand a term or the mark.

On PostgreSQL a trigger keeps personal codes unshared across the two columns (a person's previous
code is nobody's current code and the other way round), also between concurrent transactions: it
takes a transaction-level advisory lock per code before it looks, so a second writer of the same
code waits for the first to commit and then sees its row (READ COMMITTED, Django's default: each
statement of the trigger reads what is committed when it starts). The model's `validate_unique`
says the same in words; the trigger is the last word for every writer, the admin and raw SQL too.
"""

import django.db.models
import kernel.identifiers
from django.db import migrations, models

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION eaccount_person_codes_not_shared() RETURNS trigger AS $$
DECLARE
    code text;
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.personal_code IS NOT DISTINCT FROM OLD.personal_code
       AND NEW.previous_personal_code IS NOT DISTINCT FROM OLD.previous_personal_code THEN
        RETURN NEW;
    END IF;
    -- one lock per code, in a fixed order (no deadlock between two writers of the same two codes)
    FOR code IN
        SELECT c FROM unnest(ARRAY[NEW.personal_code, NEW.previous_personal_code]) AS c
        WHERE c IS NOT NULL ORDER BY c
    LOOP
        PERFORM pg_advisory_xact_lock(hashtext('eaccount.person_code'), hashtext(code));
    END LOOP;
    IF EXISTS (
        SELECT 1 FROM eaccount_person
        WHERE id IS DISTINCT FROM NEW.id
          AND (personal_code = NEW.previous_personal_code OR previous_personal_code = NEW.personal_code)
    ) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'unique_violation',
            CONSTRAINT = 'person_codes_not_shared',
            MESSAGE = 'person_codes_not_shared: a personal code of this person is another person''s';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER person_codes_not_shared
    BEFORE INSERT OR UPDATE OF personal_code, previous_personal_code ON eaccount_person
    FOR EACH ROW EXECUTE FUNCTION eaccount_person_codes_not_shared();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS person_codes_not_shared ON eaccount_person;
DROP FUNCTION IF EXISTS eaccount_person_codes_not_shared();
"""


def codes_trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def codes_trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


def mark_open_ended_roles_permanent(apps, schema_editor):
    StaffRole = apps.get_model("eaccount", "StaffRole")
    StaffRole.objects.filter(valid_until__isnull=True).update(permanent=True)


class Migration(migrations.Migration):
    dependencies = [
        ("eaccount", "0002_message_document"),
    ]

    operations = [
        # --- a person's previous personal code ---
        migrations.AddField(
            model_name="person",
            name="previous_personal_code",
            field=models.CharField(
                blank=True,
                error_messages={"unique": "Another person already has this previous personal code."},
                help_text="The code the person had before the current one (e.g. before a new-format code), if any.",
                max_length=12,
                null=True,
                unique=True,
                validators=[kernel.identifiers.validate_personal_code],
                verbose_name="previous personal code",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("previous_personal_code__isnull", True),
                    models.Q(("previous_personal_code", django.db.models.F("personal_code")), _negated=True),
                    _connector="OR",
                ),
                name="person_previous_code_differs",
                violation_error_message="The previous personal code must differ from the current one.",
            ),
        ),
        migrations.RunPython(codes_trigger_create, codes_trigger_drop, elidable=False),
        # --- staff roles: the centre admin, and a term or the permanent mark ---
        migrations.AddField(
            model_name="staffrole",
            name="permanent",
            field=models.BooleanField(
                default=False,
                help_text="A permanent role has no end date; any other role needs one.",
                verbose_name="permanent",
            ),
        ),
        migrations.RunPython(mark_open_ended_roles_permanent, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="staffrole",
            name="kind",
            field=models.CharField(
                choices=[
                    ("agency_staff", "Agency staff member"),
                    ("agency_admin", "Agency administrator"),
                    ("centre_specialist", "One-stop centre specialist"),
                    ("centre_admin", "One-stop centre administrator"),
                    ("platform_admin", "Platform administrator"),
                ],
                max_length=30,
                verbose_name="role",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="staffrole",
            name="staff_role_scope_matches_kind",
        ),
        migrations.AddConstraint(
            model_name="staffrole",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("agency__isnull", False), ("centre__isnull", True), ("kind__in", ["agency_staff", "agency_admin"])),
                    models.Q(
                        ("agency__isnull", True),
                        ("centre__isnull", False),
                        ("kind__in", ["centre_specialist", "centre_admin"]),
                    ),
                    models.Q(("agency__isnull", True), ("centre__isnull", True), ("kind", "platform_admin")),
                    _connector="OR",
                ),
                name="staff_role_scope_matches_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="staffrole",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("permanent", True), ("valid_until__isnull", True)),
                    models.Q(("permanent", False), ("valid_until__isnull", False)),
                    _connector="OR",
                ),
                name="staff_role_term_or_permanent",
                violation_error_message="Give the end date of the role, or mark it as permanent.",
            ),
        ),
    ]
