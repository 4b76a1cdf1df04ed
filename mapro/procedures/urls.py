"""URLs of the procedure screens, included at the site root (``procedimientos/``, ``tareas/``)."""

from django.urls import path

from . import rewind_views, views

app_name = "procedures"

urlpatterns = [
    path("procedimientos/", views.catalog, name="catalog"),
    path("procedimientos/instancias/<int:pk>/", views.instance_detail, name="instance_detail"),
    path("procedimientos/instancias/<int:pk>/bpmn/", views.instance_bpmn, name="instance_bpmn"),
    path(
        "procedimientos/instancias/<int:pk>/anular/",
        views.instance_cancel,
        name="instance_cancel",
    ),
    path(
        "procedimientos/instancias/<int:pk>/mover/",
        rewind_views.instance_move,
        name="instance_move",
    ),
    path("procedimientos/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("procedimientos/<str:code>/bpmn/", views.procedure_bpmn, name="procedure_bpmn"),
    path("procedimientos/<str:code>/iniciar/", views.procedure_start, name="procedure_start"),
    path("tareas/", views.inbox, name="inbox"),
    path("tareas/<int:pk>/", views.task_detail, name="task_detail"),
    path("tareas/<int:pk>/devolver/", rewind_views.task_return, name="task_return"),
    path(
        "tareas/<int:pk>/devolver/actividades/",
        rewind_views.task_return_targets,
        name="task_return_targets",
    ),
]
