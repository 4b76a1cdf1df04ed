"""HTML pages of the digital-government registers, under ``/gobierno-digital/``."""

from django.urls import path

from . import views

app_name = "govdigital"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("pgd/<str:code>/", views.plan_detail, name="plan_detail"),
    path("proyectos/", views.project_list, name="project_list"),
    path("proyectos/exportar/", views.project_export, name="project_export"),
    path("proyectos/<str:code>/", views.project_detail, name="project_detail"),
    path("periodos/<int:pk>/", views.period_detail, name="period_detail"),
    path("cgd/", views.session_list, name="session_list"),
    path("cgd/exportar/", views.session_export, name="session_export"),
    path("cgd/<str:code>/", views.session_detail, name="session_detail"),
    path("riesgos/", views.risk_list, name="risk_list"),
    path("riesgos/exportar/", views.risk_export, name="risk_export"),
    path("riesgos/nuevo/", views.risk_new, name="risk_new"),
    path("riesgos/<str:code>/", views.risk_detail, name="risk_detail"),
]
