"""`mapro import_people FILE`: import people from a CSV or XLSX file, all or nothing."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mapro.core.context import change_context
from mapro.core.exceptions import MaproError
from mapro.organization.actions import do_import_people
from mapro.organization.importing import ImportRejected


class Command(BaseCommand):
    help = (
        "Importa personas desde un archivo CSV o XLSX (columnas: dni, nombres, apellidos, "
        "cargo, unidad, regimen, vigente_desde, vigente_hasta, correo). Si alguna fila es "
        "inválida no se importa ninguna y se listan todos los errores."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="Ruta del archivo .csv o .xlsx")
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="Usuario (staff) a nombre de quien se registra la importación en la auditoría; "
            "por omisión, el sistema.",
        )

    def handle(self, *args: Any, file: str, username: str | None, **options: Any) -> None:
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"No existe el usuario «{username}».")
        try:
            with change_context(source="command"):
                result = do_import_people(file, actor=actor)
        except ImportRejected as exc:
            for error in exc.row_errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{exc.message} ({len(exc.row_errors)} errores)", returncode=1
            ) from exc
        except (MaproError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Importación completa: {result}."))
