from django.urls import path

from coproduce.studies import views

urlpatterns = [
    path("studies/new/", views.study_create, name="study-create"),
    path("studies/<slug:slug>/", views.study_detail, name="study"),
    path("studies/<slug:slug>/edit/", views.study_edit, name="study-edit"),
    path("studies/<slug:slug>/team/", views.study_team, name="study-team"),
    path("studies/<slug:slug>/audit/", views.audit_log, name="audit-log"),
    path("studies/<slug:slug>/consent/", views.consent_settings, name="consent-settings"),
    path(
        "studies/<slug:slug>/organisations/",
        views.study_organisations,
        name="study-organisations",
    ),
    path("studies/<slug:slug>/participants/", views.participants, name="participants"),
    path(
        "studies/<slug:slug>/participants/<str:pseudonym>/",
        views.participant_detail,
        name="participant",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path("join/<str:code>/", views.join, name="join"),
    path("join/<str:code>/you/", views.participant_home, name="participant-home"),
    path("join/<str:code>/withdraw/", views.participant_withdraw, name="participant-withdraw"),
    path("join/<str:code>/you/consent/", views.participant_consent, name="participant-consent"),
    path("join/<str:code>/you/about/", views.participant_about, name="participant-about"),
    path("join/<str:code>/you/data/", views.my_data_page, name="my-data"),
    path("join/<str:code>/you/data.json", views.my_data_json, name="my-data-json"),
    path("join/<str:code>/you/erase/", views.erase_my_data, name="my-data-erase"),
    path(
        "studies/<slug:slug>/participants/<str:pseudonym>/data.json",
        views.participant_data_json,
        name="participant-data-json",
    ),
]
