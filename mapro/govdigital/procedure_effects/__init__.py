"""Effect handlers of the digital-government registers (docs/adding-a-procedure.md, "Effects").

Three registers, each one handler dispatching on the step that names it:

- ``{register: Plan de Gobierno Digital}``: S04.01.00.01 (1, 2, 7–12, 14–16, 18, 23, 24) and
  S04.01.00.02 (1–3, 7, 8) write the plan, its portfolio and each period's progress;
- ``{register: Sesiones del CGD}``: the CGD's approval steps (S04.01.00.01 4, 17, 20 and
  S04.01.00.02 5) record a session's agreement with its vote;
- ``{register: Matriz de riesgos (SGSI-FOR-003)}``: S04.01.00.01 5 and 6, S04.03.01.05 12.
"""

from __future__ import annotations

from mapro.procedures.effects import register_effect_handler

PGD = "Plan de Gobierno Digital"
SESSIONS = "Sesiones del CGD"
RISKS = "Matriz de riesgos (SGSI-FOR-003)"


def register_handlers() -> None:
    from .committee import handle_sessions
    from .plans import handle_pgd
    from .risks import handle_risks

    register_effect_handler("register", handle_pgd, value=PGD)
    register_effect_handler("register", handle_sessions, value=SESSIONS)
    register_effect_handler("register", handle_risks, value=RISKS)
