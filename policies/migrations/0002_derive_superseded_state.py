"""A version's state now comes from its dates: "superseded" is no longer stored.

Publishing a version for a later date used to mark the version before it superseded at once,
although that one stayed in force until the new date. Every stored "superseded" becomes
"published"; scheduled, in force and superseded are worked out from the effective dates.
"""

from django.db import migrations, models
from django.db.models import Max


def superseded_to_published(apps, schema_editor) -> None:
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    PolicyVersion.objects.filter(status="superseded").update(status="published")


def published_to_superseded(apps, schema_editor) -> None:
    """The old rule, for a rollback: every published version but each agency's newest is superseded."""
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    newest = (PolicyVersion.objects.filter(status="published").values("agency")
              .annotate(newest=Max("number")).values_list("agency", "newest"))
    for agency_id, number in newest:
        (PolicyVersion.objects.filter(agency_id=agency_id, status="published", number__lt=number)
         .update(status="superseded"))


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(superseded_to_published, published_to_superseded),
        migrations.AlterField(
            model_name="policyversion",
            name="status",
            field=models.CharField(choices=[("draft", "Draft"), ("published", "Published")], default="draft",
                                   max_length=12),
        ),
    ]
