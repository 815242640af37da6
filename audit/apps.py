from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate


def _grant_runtime_role(sender, using: str = "default", **kwargs) -> None:
    from .roles import grant_after_migrate

    grant_after_migrate(role=settings.DATABASE_RUNTIME_ROLE, using=using)


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in and sign-out receivers)

        # Tables a migration has just made get the runtime role's privileges straight away.
        post_migrate.connect(_grant_runtime_role, sender=self, dispatch_uid="audit_grant_runtime_role")
