from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Agencies and staff"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (starts each session's clock at sign-in)
