"""HTML URLs of the help desk, included under ``/mesa-de-ayuda/``."""

from django.urls import path

from . import console_register, console_views, portal_views, views

app_name = "helpdesk"

urlpatterns = [
    path(
        "tickets/<str:number>/adjuntos/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    # Mail links: redirects to the console or the portal page of the ticket.
    path("tickets/<str:number>/", console_views.ticket_detail, name="ticket_detail"),
    # Self-service portal (any employee).
    path("solicitudes/", portal_views.my_tickets, name="my_tickets"),
    path("solicitudes/nueva/", portal_views.ticket_new, name="ticket_new"),
    path("solicitudes/nueva/<slug:code>/", portal_views.ticket_new_form, name="ticket_new_form"),
    path("solicitudes/<str:number>/", portal_views.portal_ticket, name="portal_ticket"),
    path(
        "solicitudes/<str:number>/informacion/",
        portal_views.portal_add_information,
        name="portal_add_information",
    ),
    path("solicitudes/<str:number>/confirmar/", portal_views.portal_confirm, name="portal_confirm"),
    path("solicitudes/<str:number>/rechazar/", portal_views.portal_reject, name="portal_reject"),
    path("solicitudes/<str:number>/comentar/", portal_views.portal_comment, name="portal_comment"),
    path("solicitudes/<str:number>/reabrir/", portal_views.portal_reopen, name="portal_reopen"),
    # Operator console (operador-mesa, jefe-ogtie and the OGTIE teams).
    path("consola/", console_views.console_queue, name="console_queue"),
    path("consola/asignar/", console_views.console_bulk_assign, name="console_bulk_assign"),
    # The desk registers a ticket for someone who phoned, mailed or came in person.
    path("consola/registrar/", console_register.console_register, name="console_register"),
    path(
        "consola/registrar/personas/",
        console_register.console_people,
        name="console_people",
    ),
    path(
        "consola/registrar/<slug:code>/",
        console_register.console_register_form,
        name="console_register_form",
    ),
    path("consola/<str:number>/", console_views.console_ticket, name="console_ticket"),
    path("consola/<str:number>/validar/", console_views.console_validate, name="console_validate"),
    path("consola/<str:number>/asignar/", console_views.console_assign, name="console_assign"),
    path("consola/<str:number>/devolver/", console_views.console_return, name="console_return"),
    path("consola/<str:number>/iniciar/", console_views.console_start, name="console_start"),
    path("consola/<str:number>/espera/", console_views.console_hold, name="console_hold"),
    path("consola/<str:number>/resolver/", console_views.console_resolve, name="console_resolve"),
    path("consola/<str:number>/comentar/", console_views.console_comment, name="console_comment"),
    path("consola/<str:number>/adjuntar/", console_views.console_attach, name="console_attach"),
    path("consola/<str:number>/cerrar/", console_views.console_close, name="console_close"),
    path("consola/<str:number>/reabrir/", console_views.console_reopen, name="console_reopen"),
]
