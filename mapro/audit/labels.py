"""What people read for an audit event: the action and the object type in Spanish.

Events store a dotted action code (``ticket.assign``) and the object's model label
(``helpdesk.ticket``); pages and the CSV export show :func:`action_label` and
:func:`object_type_label` instead, and the filters offer them by name (``action_choices``,
``object_type_choices``).
``tests/test_labels.py`` checks that every ``record_event(action=...)`` of the code has a label
here, so a new action cannot reach the audit page as a code.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

ACTION_LABELS: dict[str, str] = {
    # Sessions and access
    "session.login": "Inicio de sesión",
    "session.login_failed": "Inicio de sesión fallido",
    "session.logout": "Cierre de sesión",
    "login_throttle.unlock": "Desbloqueo de inicio de sesión",
    "login_unlock.code_sent": "Código de desbloqueo enviado al titular",
    "login_unlock.done": "Ingreso desbloqueado por su titular (código)",
    "user.deactivate": "Usuario desactivado",
    "api_token.issue": "Token de API emitido",
    "api_token.revoke": "Token de API revocado",
    # Organization
    "unit.create": "Unidad orgánica creada",
    "unit.update": "Unidad orgánica modificada",
    "role.create": "Rol creado",
    "role.update": "Rol modificado",
    "role_assignment.create": "Rol asignado",
    "role_assignment.end": "Asignación de rol terminada",
    "person.create": "Persona registrada",
    "person.update": "Datos de la persona modificados",
    "person.import": "Personas importadas",
    "external_organization.create": "Entidad externa registrada",
    "external_organization.update": "Entidad externa modificada",
    "calendar_exception.create": "Día no laborable registrado",
    "calendar_exception.update": "Día no laborable modificado",
    "calendar_exception.delete": "Día no laborable eliminado",
    "calendar_feed.create": "Calendario suscrito",
    "calendar_feed.revoke": "Suscripción de calendario revocada",
    # Procedures
    "procedure.publish": "Procedimiento publicado",
    "instance.start": "Caso iniciado",
    "instance.cancel": "Caso anulado",
    "instance.fail": "Caso detenido por un error",
    "instance.return": "Tarea devuelta a una actividad anterior",
    "instance.move": "Caso movido a otra actividad",
    "task.complete": "Tarea completada",
    "task.deadline_reminder": "Recordatorio de plazo vencido",
    "task.deadline_escalation": "Tarea escalada por plazo vencido",
    "schedule.create": "Cronograma creado",
    "schedule.update": "Cronograma modificado",
    "schedule.approve": "Cronograma aprobado",
    "schedule.retire": "Cronograma retirado",
    "schedule.occurrence": "Ejecución de cronograma iniciada",
    "plan.create": "Cronograma anual elaborado",
    "plan.update": "Cronograma anual corregido",
    "plan.item_add": "Línea de cronograma anual agregada",
    "plan.approve": "Cronograma anual firmado",
    "plan.new_version": "Nueva versión de cronograma anual",
    "plan.execute": "Ejecución registrada en el cronograma anual",
    "plan.overdue": "Fecha de cronograma anual vencida (aviso)",
    "run_record.create": "Ejecución registrada (respaldo o revisión de logs)",
    "run_record.correct": "Acción correctiva registrada",
    "run_token.issue": "Token de registro de ejecuciones emitido",
    "run_token.revoke": "Token de registro de ejecuciones revocado",
    # Help desk
    "ticket.create": "Ticket registrado",
    "ticket.assign": "Ticket asignado",
    "ticket.start": "Atención iniciada",
    "ticket.hold": "Ticket en espera",
    "ticket.return": "Ticket devuelto",
    "ticket.add_information": "Información añadida al ticket",
    "ticket.attach": "Archivo adjuntado al ticket",
    "ticket.comment": "Comentario en el ticket",
    "ticket.note": "Nota interna en el ticket",
    "ticket.resolve": "Solución registrada",
    "ticket.confirm": "Solución confirmada por el solicitante",
    "ticket.reject": "Solución rechazada por el solicitante",
    "ticket.close": "Ticket cerrado",
    "ticket.reopen": "Ticket reabierto",
    "ticket.reopen_as": "Ticket reabierto como ticket nuevo",
    "ticket.reclassify": "Ticket reclasificado (prioridad o categoría)",
    "ticket.survey": "Encuesta de satisfacción respondida",
    "ticket.link_instance": "Ticket vinculado a un caso",
    "category.create": "Categoría creada",
    "category.seed_update": "Categoría actualizada por la carga inicial",
    "category.update": "Categoría modificada",
    "sla_target.create": "Meta de atención creada",
    "sla_target.update": "Meta de atención modificada",
    "sla_target.delete": "Meta de atención eliminada",
    "attachment.clean_orphans": "Adjuntos huérfanos eliminados",
    # Incidents and knowledge
    "incident.open": "Incidente abierto",
    "incident.classify": "Incidente clasificado",
    "incident.add_action": "Acción registrada en el incidente",
    "incident.external_support": "Soporte externo solicitado",
    "incident.link_ticket": "Ticket vinculado al incidente",
    "incident.close": "Incidente cerrado",
    # Digital government (PGD, CGD) and the risk matrix SGSI-FOR-003
    "pgd.open": "PGD abierto para su formulación",
    "pgd.update": "PGD modificado",
    "pgd.status": "Estado del PGD cambiado",
    "pgd.objectives": "Objetivos del PGD definidos",
    "pgd.approve_rm": "PGD aprobado por Resolución Ministerial",
    "pgd_project.add": "Proyecto añadido al portafolio del PGD",
    "pgd_project.update": "Proyecto del PGD modificado",
    "pgd_period.open": "Periodo de seguimiento del PGD abierto",
    "pgd_period.update": "Periodo de seguimiento del PGD actualizado",
    "pgd_progress.report": "Avance de proyecto reportado",
    "cgd_session.record": "Sesión del CGD registrada",
    "cgd_session.update": "Sesión del CGD actualizada",
    "cgd_agreement.record": "Acuerdo del CGD registrado",
    "risk.record": "Riesgo registrado en la matriz",
    "risk.update": "Riesgo modificado",
    "risk.approve": "Riesgo aprobado",
    "article.create": "Artículo de conocimiento creado",
    "article.update": "Artículo de conocimiento modificado",
    "article.publish": "Artículo de conocimiento publicado",
    "article.link_ticket": "Artículo vinculado a un ticket",
    # Accounts (IAM)
    "account.grant": "Cuenta o acceso otorgado",
    "account.modify": "Cuenta o acceso modificado",
    "account.remove": "Cuenta o acceso retirado",
    "account.due_notice": "Aviso de vencimiento de cuenta",
    "account.password_link": "Enlace de contraseña generado",
    "account.password_reveal": "Contraseña vista por su titular",
    "account.password_links_purge": "Enlaces de contraseña vencidos eliminados",
    "account.password_links_rekey": "Enlaces de contraseña recifrados",
    "block.add": "Bloqueo registrado",
    "block.deactivate": "Bloqueo levantado",
    "directory_deletion.record": "Baja en el directorio registrada",
    "mailbox_backup.record": "Respaldo de buzón registrado",
    "restore_request.record": "Solicitud de restauración registrada",
    "restore_request.outcome": "Resultado de la restauración registrado",
    "reconciliation.upload": "Conciliación cargada",
    "reconciliation.link": "Conciliación vinculada",
    "reconciliation_difference.attend": "Diferencia de conciliación atendida",
    # Human resources
    "leaver_event.receive": "Cese recibido",
    "leaver_event.duplicate": "Cese duplicado recibido",
    "leaver_event.refuse": "Cese rechazado",
    # Assets and data center
    "phone.register": "Teléfono registrado",
    "phone.assign": "Teléfono asignado",
    "phone.configure": "Teléfono configurado",
    "phone.sign_acta": "Acta de teléfono firmada",
    "phone.return": "Teléfono devuelto",
    "phone.retire": "Teléfono dado de baja",
    "cert_device.register": "Dispositivo de certificado registrado",
    "cert_device.assign": "Dispositivo de certificado asignado",
    "cert_device.conformity": "Conformidad de dispositivo de certificado",
    "cert_device.return": "Dispositivo de certificado devuelto",
    "cert_device.retire": "Dispositivo de certificado dado de baja",
    # Equipment inventory and maintenance (mapro.inventory)
    "equipment.register": "Equipo registrado en el inventario",
    "equipment.update": "Datos del equipo modificados",
    "equipment.state": "Estado del equipo cambiado",
    "equipment.import": "Equipo importado al inventario",
    "equipment.responsibles": "Responsables de la plataforma asignados",
    "maintenance.record": "Mantenimiento registrado",
    "maintenance.outcome": "Resultado del mantenimiento registrado",
    "maintenance.warranty": "Garantía del equipo revisada",
    "maintenance.oficio": "Oficio de baja vinculado al mantenimiento",
    "maintenance.informe": "Informe situacional vinculado al mantenimiento",
    "platform_profile.create": "Perfil de plataforma creado",
    "platform_account.grant": "Acceso a la plataforma otorgado",
    "platform_account.revoke": "Acceso a la plataforma retirado",
    "platform_activity.record": "Actividad de plataforma registrada",
    "datacenter_visit.create": "Visita al centro de datos registrada",
    "datacenter_visit.add_person": "Visitante añadido",
    "datacenter_visit.record_document": "Documento de la visita registrado",
    "datacenter_visit.record_dipec_check": "Verificación de DIPEC registrada",
    "datacenter_visit.sync": "Visita sincronizada",
    "logbook_entry.create": "Ingreso al centro de datos",
    "logbook_entry.exit": "Salida del centro de datos",
    # Documents and notifications
    # Information systems (catalogue, matrix of changes, releases, quality evidence)
    "information_system.register": "Sistema registrado en el catálogo",
    "information_system.update": "Sistema modificado",
    "information_system.retire": "Sistema dado de baja",
    "information_system.state": "Estado del sistema cambiado",
    "change_record.open": "Cambio registrado en la matriz",
    "change_record.close": "Cambio cerrado en la matriz",
    "release.register": "Versión registrada",
    "release.deploy": "Versión puesta en producción",
    "quality_gate.set": "Umbral de calidad configurado",
    "quality_report.upload": "Reporte de calidad subido",
    "quality_review.decide": "Revisión de código decidida",
    "document.draft": "Documento en borrador",
    "document.issue": "Documento emitido",
    "document.sign": "Documento firmado",
    # SGSI registers
    "sgsi_document.create": "Documento del SGSI registrado",
    "sgsi_document.add_version": "Nueva versión de documento del SGSI",
    "sgsi_document.observe": "Observación a documento del SGSI",
    "sgsi_document.approve": "Versión de documento del SGSI aprobada",
    "sgsi_document.custody": "Custodia de documento del SGSI registrada",
    "information_asset.create": "Activo registrado en el inventario",
    "information_asset.change": "Cambio de activo registrado",
    "notification.send": "Notificación enviada",
    "notification_preference.update": "Preferencias de notificación modificadas",
    "outbox_message.retry": "Reenvío de correo",
    # Statistics
    "statistics_designation.create": "Representante estadístico designado",
    "statistics_designation.end": "Designación de representante estadístico terminada",
    "statistics_dataset.create": "Formato estadístico creado",
    "statistics_dataset.update": "Formato estadístico modificado",
    "statistics_calendar.formulate": "Cronograma de envío formulado",
    "statistics_calendar.approve": "Cronograma de envío aprobado",
    "statistics_submission.receive": "Información estadística recibida",
    "statistics_submission.reject": "Información estadística rechazada",
    "statistics_submission.accept": "Información estadística aceptada y consolidada",
    "statistics_submission.observe": "Información estadística observada",
    "statistics_publication.create": "Documento estadístico formulado",
    "statistics_publication.approve_covers": "Carátulas del documento estadístico aprobadas",
    "statistics_publication.assemble": "Documento estadístico consolidado",
    "statistics_publication.publish": "Documento estadístico difundido",
    # Directory
    "directory_operation.retry": "Operación del directorio reintentada",
    "directory_operation.manual": "Operación del directorio completada a mano",
    "user.directory_signup": "Primer ingreso con la cuenta del directorio",
    "reconciliation.directory": "Comparación con el directorio",
    "reconciliation_difference.start": "Baja iniciada desde una diferencia",
}


def action_label(action: str) -> str:
    """The Spanish label of an action code; the code itself if it has none (never empty)."""
    return ACTION_LABELS.get(action, action)


def object_type_label(object_type: str) -> str:
    """The model's verbose name (``helpdesk.ticket`` → "Ticket"); the label when unknown."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def action_choices() -> list[tuple[str, Any]]:
    """The audit page's action filter: every action by its Spanish name, grouped by the kind of
    object it acts on (its code's prefix), "Todas" first; each group also offers all of its
    actions (the code prefix, ``ticket.``)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in ACTION_LABELS.items():
        groups.setdefault(code.split(".", 1)[0], []).append((code, label))
    choices: list[tuple[str, Any]] = [("", "Todas")]
    named = sorted(groups.items(), key=lambda item: _group_name(item[0], item[1]).lower())
    for prefix, actions in named:
        name = _group_name(prefix, actions)
        options = [(f"{prefix}.", f"{name}: todas")] if len(actions) > 1 else []
        options += sorted(actions, key=lambda option: option[1].lower())
        choices.append((name, options))
    return choices


def _group_name(prefix: str, actions: list[tuple[str, str]]) -> str:
    """A group's name: the Spanish name of the model the prefix names, else its first action's."""
    if prefix in GROUP_NAMES:
        return GROUP_NAMES[prefix]
    for model in apps.get_models():
        if model._meta.model_name == prefix.replace("_", ""):
            name = str(model._meta.verbose_name)
            return name[:1].upper() + name[1:]
    return actions[0][1]


#: Group names where the prefix names no model (or a model whose name reads worse).
GROUP_NAMES: dict[str, str] = {
    "session": "Sesiones",
    "login_throttle": "Bloqueo de inicio de sesión",
    "login_unlock": "Desbloqueo de inicio de sesión",
    "user": "Usuarios",
    "instance": "Casos",
    "task": "Tareas",
    "procedure": "Procedimientos",
    "block": "Bloqueos",
    "calendar_feed": "Suscripciones de calendario",
    "cgd_agreement": "Acuerdos del CGD",
    "cgd_session": "Sesiones del CGD",
    "datacenter_visit": "Visitas al centro de datos",
    "pgd": "PGD",
    "pgd_period": "Periodos de seguimiento del PGD",
    "pgd_progress": "Avance de proyectos del PGD",
    "pgd_project": "Proyectos del PGD",
    "phone": "Teléfonos",
    "statistics_calendar": "Cronogramas de envío de estadística",
    "statistics_dataset": "Formatos estadísticos",
    "statistics_designation": "Representantes estadísticos",
    "statistics_publication": "Documentos estadísticos",
    "statistics_submission": "Envíos de información estadística",
}


def object_type_choices() -> list[tuple[str, str]]:
    """The audit page's object-type filter: every model by its Spanish name ("Todos" first)."""
    models = sorted(
        ((m._meta.label_lower, object_type_label(m._meta.label_lower)) for m in apps.get_models()),
        key=lambda option: option[1].lower(),
    )
    return [("", "Todos"), *models]
