"""The `mapro` command: any Django management command, as `manage.py` would run it."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapro.settings")
    from django.core.management import execute_from_command_line

    from mapro.core.context import command_context

    # Everything a command changes is audited with source "command" and one request id per run.
    with command_context():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
