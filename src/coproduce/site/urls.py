"""Top-level URLs: each app brings its own."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coproduce.site.accounts import password_reset
from coproduce.site.api import api
from coproduce.site.language import choose_language
from coproduce.site.status import status_page
from coproduce.studies import views as study_views

urlpatterns = [
    path("", study_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", password_reset, name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="accounts/reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/reset_done.html"),
        name="password_reset_complete",
    ),
    path("language/<str:code>/", choose_language, name="choose-language"),
    path("status/", status_page, name="status"),
    path("", include("coproduce.studies.urls")),
    path("", include("coproduce.conversations.urls")),
    path("", include("coproduce.stories.urls")),
    path("", include("coproduce.casestudies.urls")),
    path("", include("coproduce.coding.urls")),
    path("", include("coproduce.equity.urls")),
    path("", include("coproduce.publications.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
