# The API clients and their idempotency records moved here from requests_registry (the payment API
# will use them too). The tables stay where they are (db_table keeps their names): this migration
# only tells Django's state that the models now live in this app.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalogue', '0002_initial'),
        ('requests_registry', '0004_case_subject_key'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiClient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('key_prefix', models.CharField(max_length=16, unique=True, verbose_name='key prefix')),
                        ('key_hash', models.CharField(max_length=64, verbose_name='key hash (SHA-256)')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='api_clients', to='catalogue.agency', verbose_name='agency')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'requests_registry_apiclient',
                        'verbose_name': 'API client',
                        'verbose_name_plural': 'API clients',
                        'ordering': ['agency_id', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='IdempotencyRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=255, verbose_name='idempotency key')),
                        ('fingerprint', models.CharField(max_length=64, verbose_name='request fingerprint')),
                        ('state', models.CharField(choices=[('in_progress', 'In progress'), ('done', 'Done')], default='in_progress', max_length=20, verbose_name='state')),
                        ('locked_at', models.DateTimeField(verbose_name='locked at')),
                        ('response_status', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='response status')),
                        ('response_body', models.JSONField(blank=True, null=True, verbose_name='response body')),
                        ('response_headers', models.JSONField(blank=True, default=dict, verbose_name='response headers')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('expires_at', models.DateTimeField(db_index=True, verbose_name='expires at')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='idempotency_records', to='api_clients.apiclient')),
                    ],
                    options={
                        'db_table': 'requests_registry_idempotencyrecord',
                        'verbose_name': 'idempotency record',
                        'verbose_name_plural': 'idempotency records',
                        'constraints': [models.UniqueConstraint(fields=('client', 'key'), name='uniq_idempotency_client_key')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
