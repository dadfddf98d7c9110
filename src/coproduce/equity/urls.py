from django.urls import path

from coproduce.equity import views

urlpatterns = [
    path("studies/<slug:slug>/equity/", views.equity_page, name="equity"),
    path("studies/<slug:slug>/member-check/", views.member_check_page, name="member-check"),
    path("studies/<slug:slug>/member-check/paper/", views.paper_page, name="member-check-paper"),
    path(
        "studies/<slug:slug>/member-check/sessions/<int:session>/",
        views.room_page,
        name="member-check-room",
    ),
]
