"""URLs of the procedures API, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "procedures-api"

urlpatterns = [
    path("procedures/", views.ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/<str:code>/", views.ProcedureDetailView.as_view(), name="procedure-detail"),
    path("procedures/<str:code>/bpmn/", views.ProcedureBpmnView.as_view(), name="procedure-bpmn"),
    path(
        "procedures/<str:code>/instances/",
        views.ProcedureInstancesView.as_view(),
        name="procedure-instances",
    ),
    path("instances/<int:pk>/", views.InstanceDetailView.as_view(), name="instance-detail"),
    path("instances/<int:pk>/move/", views.InstanceMoveView.as_view(), name="instance-move"),
    path("instances/<int:pk>/cancel/", views.InstanceCancelView.as_view(), name="instance-cancel"),
    path("tasks/", views.TaskListView.as_view(), name="task-list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("tasks/<int:pk>/complete/", views.TaskCompleteView.as_view(), name="task-complete"),
    path("tasks/<int:pk>/return/", views.TaskReturnView.as_view(), name="task-return"),
]
