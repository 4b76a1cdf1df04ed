from django.apps import AppConfig


class SystemsConfig(AppConfig):
    name = "mapro.systems"
    label = "systems"
    verbose_name = "Sistemas de información"

    def ready(self) -> None:
        # The steps of S04.02.00.01/02/03 write the catalogue, the matrix and the quality
        # evidence through their effects (procedure_effects.py).
        from mapro.procedures.effects import register_effect_handler as register
        from mapro.procedures.task_forms import register_form_proposal

        from . import procedure_effects as pe

        register("register", pe.handle_catalog, value=pe.CATALOG)
        register("register", pe.handle_matrix, value=pe.MATRIX)
        register("register", pe.handle_quality, value=pe.QUALITY)
        register("register", pe.handle_releases, value=pe.RELEASES)
        for code, n in pe.ACTA_STEPS:
            register("document", pe.handle_code_review_acta, value=pe.ACTA, step=(code, n))
            # The task form proposes the reports uploaded since the task opened and the
            # «¿cumple?» their gate gives (the person confirms or overrides with a reason).
            register_form_proposal(code, n, pe.propose_quality)
