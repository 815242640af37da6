"""A person may belong to several agencies; deactivation moves from the user to each membership."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def deactivation_to_memberships(apps, schema_editor):
    """Whoever was deactivated on the staff page (the user's flag) is now deactivated in their agency.

    The staff page was the only place that cleared the user's flag, so it is set again: the
    membership now says whether they may work in that agency.
    """
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    deactivated = User.objects.filter(is_active=False, memberships__isnull=False)
    Membership.objects.filter(user__in=deactivated).update(is_active=False)
    User.objects.filter(pk__in=deactivated.values("pk")).update(is_active=True)


def deactivation_to_users(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(memberships__is_active=False).update(is_active=False)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='is_active',
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name='membership',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(deactivation_to_memberships, deactivation_to_users),
    ]
