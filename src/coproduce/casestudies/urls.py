from django.urls import path

from coproduce.casestudies import views

urlpatterns = [
    path("studies/<slug:slug>/case-studies/", views.case_studies, name="case-studies"),
    path(
        "studies/<slug:slug>/case-studies/<slug:organisation>/",
        views.case_study,
        name="case-study",
    ),
]
