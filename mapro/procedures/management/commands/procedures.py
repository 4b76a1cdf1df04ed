"""`mapro procedures check|publish|bpmn CODE`: validate, publish and inspect the fichas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import unhandled_effects
from mapro.procedures.ficha.compiler import compile_bpmn
from mapro.procedures.ficha.loader import Ficha, FichaLoadError, load_ficha
from mapro.procedures.ficha.validator import (
    Problem,
    check_directory,
    check_ficha,
    default_inventory,
)
from mapro.procedures.models import Procedure
from mapro.procedures.publishing import do_publish_procedures


class Command(BaseCommand):
    help = "Valida, publica y muestra en BPMN las fichas de procedimientos."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help="Valida todas las fichas (sale con 1 si hay errores).")
        publish = sub.add_parser("publish", help="Publica las fichas cuyo contenido cambió.")
        bpmn = sub.add_parser("bpmn", help="Imprime el BPMN 2.0 de un procedimiento.")
        bpmn.add_argument("code", help="Código del procedimiento, p. ej. S04.02.00.03")
        bpmn.add_argument(
            "--published", action="store_true", help="El BPMN de la versión publicada vigente."
        )
        for p in (check, publish, bpmn):
            p.add_argument("--dir", dest="directory", default=None, help="Directorio de fichas.")

    def handle(self, *args: Any, subcommand: str, directory: str | None, **options: Any) -> None:
        path = Path(directory or settings.MAPRO_PROCEDURES_DIR)
        if subcommand == "check":
            self.run_check(path)
        elif subcommand == "publish":
            self.run_publish(path)
        else:
            self.run_bpmn(path, options["code"], published=options["published"])

    def run_check(self, path: Path) -> None:
        valid, problems = check_directory(path)
        for ficha in valid:
            problems += effect_problems(ficha)
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problema(s) en las fichas.", returncode=1)
        self.stdout.write(f"{len(valid)} fichas válidas")

    def run_publish(self, path: Path) -> None:
        try:
            versions = do_publish_procedures(path, actor=None)
        except InvalidInput as exc:
            for line in exc.errors.get("fichas", []):
                self.stdout.write(line)
            raise CommandError(exc.message, returncode=1) from exc
        for version in versions:
            self.stdout.write(
                f"Publicado {version.procedure.code} versión {version.manual_version} "
                f"({version.content_hash[:12]})"
            )
        if not versions:
            self.stdout.write("Sin cambios: no hay versiones nuevas que publicar.")

    def run_bpmn(self, path: Path, code: str, *, published: bool) -> None:
        if published:
            procedure = Procedure.objects.filter(code=code).select_related("current_version")
            found = procedure.first()
            if found is None or found.current_version is None:
                raise CommandError(f"El procedimiento {code} no está publicado.")
            self.stdout.write(found.current_version.bpmn_xml, ending="")
            return
        file = path / f"{code}.yaml"
        if not file.exists():
            raise CommandError(f"No existe la ficha {file}.")
        try:
            ficha = load_ficha(file)
        except FichaLoadError as exc:
            raise CommandError(str(exc)) from exc
        problems = check_ficha(ficha, source=str(file), inventory=_inventory(path))
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"La ficha {code} tiene errores.", returncode=1)
        self.stdout.write(compile_bpmn(ficha), ending="")


def effect_problems(ficha: Ficha) -> list[Problem]:
    """An effect no installed app handles, and not marked ``history_only``, is a problem: it
    would otherwise fall silently into the history (mapro/procedures/effects.py)."""
    index = {
        act.get("n"): i
        for i, act in enumerate(ficha.get("activities") or [])
        if isinstance(act, dict)
    }
    problems = []
    for n, position, kind, value in unhandled_effects(ficha):
        where = ("activities", index[n], "effects", position)
        problems.append(
            Problem(
                ficha.source or "<ficha>",
                ficha.line_of(where),
                f"Ningún manejador toma el efecto {{{kind}: {value}}} de la actividad {n}: "
                "regístrelo (docs/adding-a-procedure.md, «Efectos») o márquelo "
                "`history_only: <motivo>` si debe quedar solo en el historial.",
            )
        )
    return problems


def _inventory(path: Path) -> dict[str, Any] | None:
    inventory = path / "_inventario.yaml"
    return dict(load_ficha(inventory)) if inventory.exists() else default_inventory()
