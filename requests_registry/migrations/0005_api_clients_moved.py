# The API clients and their idempotency records moved to the api_clients app; their tables stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('requests_registry', '0004_case_subject_key'),
        ('api_clients', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='IdempotencyRecord'),
                migrations.DeleteModel(name='ApiClient'),
            ],
            database_operations=[],
        ),
    ]
