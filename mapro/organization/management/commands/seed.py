"""`mapro seed [--demo]`: load the reference organization (and the demo users), idempotently."""

import contextlib
from typing import Any

from django.core.management.base import BaseCommand

from mapro.core.context import change_context
from mapro.core.demo import demo_data
from mapro.organization.seeding import load_demo_users, load_organization, run_seed_steps


class Command(BaseCommand):
    help = (
        "Carga las unidades de organización, las entidades del Sector Defensa y los roles. "
        "Con --demo crea además un usuario de demostración por rol, el superusuario admin "
        "(contraseña: MAPRO_DEMO_PASSWORD), datos de demostración de los registros y, si los "
        "procedimientos están publicados, casos de demostración de cada uno. Se puede ejecutar "
        "varias veces."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Crear los usuarios de demostración (nunca en producción).",
        )
        parser.add_argument(
            "--no-cases",
            action="store_true",
            help="Con --demo, no crear los casos de demostración de los procedimientos.",
        )

    def handle(
        self, *args: Any, demo: bool = False, no_cases: bool = False, **options: Any
    ) -> None:
        with change_context(source="command"):
            report = load_organization()
            self.stdout.write(f"Organización: {report}.")
            if demo:
                report = load_demo_users()
                self.stdout.write(f"Usuarios de demostración: {report}.")
            # Other apps' reference data (the help desk's categories, the cronogramas...),
            # registered by them in their seeding modules. With --demo, what their actions
            # create is marked as demo data (cases, tickets: mapro.core.demo).
            with demo_data(cases=not no_cases) if demo else contextlib.nullcontext():
                for line in run_seed_steps(demo=demo):
                    self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Listo."))
