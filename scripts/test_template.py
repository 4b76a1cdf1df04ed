"""Build the migrated SQLite template that the test workers clone (conftest.py), ahead of a run.

    python scripts/test_template.py PATH
    MAPRO_TEST_SQLITE_TEMPLATE=PATH make pytest

Migrating costs about 17 s of CPU, during which one worker waits for the other. CI builds the
SQLite leg's template while its PostgreSQL leg runs (.ci/run), so the SQLite leg starts cloning.
The file appears only once complete (built under another name, then renamed).
"""

import os
import sys
from pathlib import Path


def main(target: Path) -> None:
    os.environ.pop("DATABASE_URL", None)  # the embedded SQLite default
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mapro.settings")
    import django

    django.setup()
    from django.db import connection

    partial = target.with_name(target.name + ".partial")
    connection.settings_dict["TEST"]["NAME"] = str(partial)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()
    partial.rename(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
