"""``mapro seed --demo``'s last step: demo cases of every published procedure (``demo.py``).

Runs after every other app's demo data (the inventory, the systems catalogue… that the
procedures' steps refer to). Without ``--demo`` nothing; before ``mapro procedures publish``
there is nothing to walk, and the step says so (run the seed again after publishing). With
``--no-cases`` (tests that only need the demo users and registers) it is skipped.
"""

from __future__ import annotations

from mapro.core.demo import demo_cases_wanted
from mapro.organization.seeding import register_seed_step

from .demo import seed_demo_cases, summary
from .models import Procedure


@register_seed_step(order=200)
def seed_step(*, demo: bool) -> str:
    """Demo cases with ``--demo`` only, once per procedure (idempotent)."""
    if not demo:
        return "Casos de demostración: solo con --demo."
    if not demo_cases_wanted():
        return "Casos de demostración: omitidos (--no-cases)."
    if not Procedure.objects.filter(current_version__isnull=False).exists():
        return (
            "Casos de demostración: pendiente: publique los procedimientos "
            "(mapro procedures publish) y repita."
        )
    return f"Casos de demostración: {summary(seed_demo_cases())}."
