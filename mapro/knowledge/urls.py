"""HTML pages of the base de conocimiento, under ``/base-de-conocimiento/``."""

from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("exportar/", views.article_export, name="article_export"),
    path("nuevo/", views.article_new, name="article_new"),
    path("sugerencias/", views.suggestions, name="suggestions"),
    path("<int:pk>/", views.article_detail, name="article_detail"),
    path("<int:pk>/editar/", views.article_edit, name="article_edit"),
    path("<int:pk>/publicar/", views.article_publish, name="article_publish"),
    path("<int:pk>/vincular/", views.article_link_ticket, name="article_link_ticket"),
    path("tickets/<str:number>/", views.ticket_articles, name="ticket_articles"),
    path("tickets/<str:number>/vincular/", views.ticket_link_article, name="ticket_link_article"),
]
