"""Each case carries its service's agency (denormalised, set when the case is made), indexed with
(updated_at, id) for the agency's lists and change feed."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE requests_registry_case SET agency_id = (
    SELECT agency_id FROM catalogue_service WHERE catalogue_service.id = requests_registry_case.service_id
) WHERE agency_id IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("requests_registry", "0005_api_clients_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="catalogue.agency",
                verbose_name="agency",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True),
        migrations.AlterField(
            model_name="case",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="catalogue.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["agency", "updated_at", "id"], name="case_agency_updated"),
        ),
    ]
