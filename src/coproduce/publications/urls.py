from django.urls import path

from coproduce.publications import views

urlpatterns = [
    path("s/<slug:slug>/", views.public_study, name="public-study"),
    path("s/<slug:slug>/files/<path:path>", views.publication_file, name="publication-file"),
    path("studies/<slug:slug>/publication/", views.publication_page, name="publication"),
]
