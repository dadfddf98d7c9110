from django.urls import path

from coproduce.publications import views

urlpatterns = [
    path("s/<slug:slug>/", views.public_study, name="public-study"),
    path("s/<slug:slug>/files/<path:path>", views.publication_file, name="publication-file"),
    path("studies/<slug:slug>/publication/", views.publication_page, name="publication"),
    path("studies/<slug:slug>/easy-read/", views.easy_read_page, name="easy-read"),
    path(
        "studies/<slug:slug>/easy-read/parts/<int:number>/",
        views.easy_read_part,
        name="easy-read-part",
    ),
    path("studies/<slug:slug>/easy-read/check/", views.easy_read_check, name="easy-read-check"),
    path(
        "studies/<slug:slug>/easy-read/preview/", views.easy_read_preview, name="easy-read-preview"
    ),
    path(
        "studies/<slug:slug>/easy-read/pictures/<str:symbol>.svg",
        views.easy_read_symbol,
        name="easy-read-symbol",
    ),
    path(
        "studies/<slug:slug>/easy-read/images/<int:image>/",
        views.easy_read_image,
        name="easy-read-image",
    ),
]
