"""HTML URLs of the help desk, included under ``/mesa-de-ayuda/``."""

from django.urls import path

from .views import (
    attachments,
    console,
    console_registration,
    dashboard,
    mailbox,
    portal,
    surveys,
)

app_name = "helpdesk"

urlpatterns = [
    path(
        "tickets/<str:number>/adjuntos/<int:pk>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    # Mail links: redirects to the console or the portal page of the ticket.
    path("tickets/<str:number>/", console.ticket_detail, name="ticket_detail"),
    # Self-service portal (any employee).
    path("solicitudes/", portal.my_tickets, name="my_tickets"),
    path("solicitudes/nueva/", portal.ticket_new, name="ticket_new"),
    path("solicitudes/nueva/<slug:code>/", portal.ticket_new_form, name="ticket_new_form"),
    path("solicitudes/<str:number>/", portal.portal_ticket, name="portal_ticket"),
    path(
        "solicitudes/<str:number>/informacion/",
        portal.portal_add_information,
        name="portal_add_information",
    ),
    path("solicitudes/<str:number>/confirmar/", portal.portal_confirm, name="portal_confirm"),
    path("solicitudes/<str:number>/rechazar/", portal.portal_reject, name="portal_reject"),
    path("solicitudes/<str:number>/comentar/", portal.portal_comment, name="portal_comment"),
    path("solicitudes/<str:number>/reabrir/", portal.portal_reopen, name="portal_reopen"),
    path("solicitudes/<str:number>/encuesta/", portal.portal_survey, name="portal_survey"),
    path("encuestas/", surveys.survey_report_page, name="survey_report"),
    # Operator console (operador-mesa, jefe-ogtie and the OGTIE teams).
    path("consola/", console.console_queue, name="console_queue"),
    path("tablero/", dashboard.dashboard_page, name="dashboard"),
    path("correo-entrante/", mailbox.mailbox_log, name="mailbox_log"),
    path("correo-entrante/<int:pk>/original/", mailbox.mailbox_original, name="mailbox_original"),
    path("consola/asignar/", console.console_bulk_assign, name="console_bulk_assign"),
    # The desk registers a ticket for someone who phoned, mailed or came in person.
    path("consola/registrar/", console_registration.console_register, name="console_register"),
    path(
        "consola/registrar/personas/",
        console_registration.console_people,
        name="console_people",
    ),
    path(
        "consola/registrar/<slug:code>/",
        console_registration.console_register_form,
        name="console_register_form",
    ),
    path("consola/<str:number>/", console.console_ticket, name="console_ticket"),
    path("consola/<str:number>/validar/", console.console_validate, name="console_validate"),
    path("consola/<str:number>/asignar/", console.console_assign, name="console_assign"),
    path("consola/<str:number>/devolver/", console.console_return, name="console_return"),
    path("consola/<str:number>/iniciar/", console.console_start, name="console_start"),
    path("consola/<str:number>/espera/", console.console_hold, name="console_hold"),
    path("consola/<str:number>/resolver/", console.console_resolve, name="console_resolve"),
    path(
        "consola/<str:number>/tarea/<int:pk>/",
        console.console_step,
        name="console_step",
    ),
    path("consola/<str:number>/comentar/", console.console_comment, name="console_comment"),
    path("consola/<str:number>/adjuntar/", console.console_attach, name="console_attach"),
    path("consola/<str:number>/cerrar/", console.console_close, name="console_close"),
    path(
        "consola/<str:number>/reclasificar/",
        console.console_reclassify,
        name="console_reclassify",
    ),
    path("consola/<str:number>/reabrir/", console.console_reopen, name="console_reopen"),
]
