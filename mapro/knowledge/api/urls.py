"""API v1 of the base de conocimiento, included under ``/api/v1/``."""

from django.urls import path

from . import views

app_name = "knowledge-api"

urlpatterns = [
    path("knowledge/articles/", views.ArticleListView.as_view(), name="article-list"),
    path("knowledge/articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path(
        "knowledge/articles/<int:pk>/publish/",
        views.ArticlePublishView.as_view(),
        name="article-publish",
    ),
    path(
        "knowledge/articles/<int:pk>/links/",
        views.ArticleLinkView.as_view(),
        name="article-link-ticket",
    ),
    path("knowledge/suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
]
