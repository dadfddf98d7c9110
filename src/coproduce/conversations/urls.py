from django.urls import path

from coproduce.conversations import views

urlpatterns = [
    path("c/<str:code>/", views.start, name="conversation-start"),
    path("c/<str:code>/vote/", views.vote, name="conversation-vote"),
    path("c/<str:code>/write/", views.write, name="conversation-write"),
    path("c/<str:code>/about-you/", views.about, name="conversation-about"),
    path("c/<str:code>/results/", views.public_results, name="conversation-public-results"),
    path("studies/<slug:slug>/conversations/new/", views.create, name="conversation-create"),
    path("studies/<slug:slug>/conversations/<str:code>/", views.detail, name="conversation"),
    path(
        "studies/<slug:slug>/conversations/<str:code>/moderate/",
        views.moderate,
        name="conversation-moderate",
    ),
    path(
        "studies/<slug:slug>/conversations/<str:code>/results/",
        views.team_results,
        name="conversation-results",
    ),
    path(
        "studies/<slug:slug>/conversations/<str:code>/enter/",
        views.enter,
        name="conversation-enter",
    ),
]
