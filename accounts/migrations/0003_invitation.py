"""Invitations: an agency offers a place to someone who already has an account."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_memberships_in_several_agencies'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('practitioner', 'Practitioner'), ('supervisor', 'Supervisor'), ('admin', 'Admin')], max_length=20)),
                ('token_hash', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='accounts.agency')),
                ('invited_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['agency', 'created_at'], name='invitation_agency_created_idx')],
                'constraints': [models.UniqueConstraint(fields=('agency', 'token_hash'), name='invitation_agency_token_uniq'), models.UniqueConstraint(condition=models.Q(('accepted_at__isnull', True), ('cancelled_at__isnull', True)), fields=('agency', 'user'), name='invitation_agency_user_open_uniq'), models.CheckConstraint(condition=models.Q(('accepted_at__isnull', True), ('cancelled_at__isnull', True), _connector='OR'), name='invitation_accepted_or_cancelled')],
            },
        ),
    ]
