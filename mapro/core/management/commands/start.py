"""`mapro start`: the web server (gunicorn) and the background worker (Huey) together."""

import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Inicia el servidor web y el trabajador en segundo plano."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        mapro = [sys.executable, "-m", "mapro.cli"]
        worker = subprocess.Popen([*mapro, "run_huey", "--workers", "2"])  # noqa: S603
        web = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "mapro.wsgi",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ]
        )
        self.stdout.write(f"mapro en http://{bind}/ (Ctrl+C para detener)")

        def stop(*_: Any) -> None:
            for proc in (web, worker):
                if proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            worker.wait(timeout=30)
            web.wait(timeout=30)
