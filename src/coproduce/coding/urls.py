from django.urls import path

from coproduce.coding import views

urlpatterns = [
    path("studies/<slug:slug>/codebook/", views.codebook_page, name="codebook"),
    path("studies/<slug:slug>/codebook.csv", views.codebook_csv, name="codebook-csv"),
    path("studies/<slug:slug>/codebook.qdc", views.codebook_qdc, name="codebook-qdc"),
    path("studies/<slug:slug>/project.qdpx", views.project_qdpx, name="project-qdpx"),
    path("studies/<slug:slug>/coding/", views.coding_queue, name="coding"),
    path("studies/<slug:slug>/coding/<str:evidence_id>/", views.coding_item, name="coding-item"),
    path("studies/<slug:slug>/passages/", views.passages_page, name="passages"),
    path("studies/<slug:slug>/memos/", views.memos_page, name="memos"),
    path("studies/<slug:slug>/agreement/", views.agreement_page, name="agreement"),
    path("studies/<slug:slug>/themes/", views.themes_page, name="themes"),
    path("studies/<slug:slug>/themes/<int:number>/", views.theme_page, name="theme"),
    path("studies/<slug:slug>/findings/", views.findings_page, name="findings"),
    path("studies/<slug:slug>/findings/<int:number>/", views.finding_page, name="finding"),
    path(
        "studies/<slug:slug>/recommendations/<int:number>/",
        views.recommendation_page,
        name="recommendation",
    ),
]
