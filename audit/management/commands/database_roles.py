from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections, transaction

from audit.roles import roles_sql


class Command(BaseCommand):
    help = ("Print (or, with --apply, run) the SQL that creates the two PostgreSQL roles: the owner, which "
            "runs migrations, and the runtime role the app connects as, which may only read and append to "
            "the audit tables. Run it as a superuser; it is safe to run again.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--owner", default="boundaries_owner", help="the role that owns the tables")
        parser.add_argument("--runtime", default="boundaries_app", help="the role the app connects as")
        parser.add_argument("--apply", action="store_true", help="run the SQL on the database instead of printing it")

    def handle(self, *args, owner: str, runtime: str, apply: bool = False, **options) -> None:
        connection = connections["default"]
        if connection.vendor != "postgresql":
            raise CommandError("The two database roles are for PostgreSQL; this database is "
                               f"{connection.vendor}.", returncode=2)
        try:
            statements = roles_sql(owner=owner, runtime=runtime, database=connection.settings_dict["NAME"])
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        if not apply:
            self.stdout.write(";\n\n".join(statements) + ";")
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        except DatabaseError as error:
            raise CommandError(f"The roles were not changed: {error}".strip(), returncode=1) from None
        self.stdout.write(f"{owner} owns the tables; {runtime} may read and append to the audit tables. "
                          f"Set their passwords with ALTER ROLE … PASSWORD, then migrate as {owner} with "
                          f"DATABASE_RUNTIME_ROLE={runtime}.")
