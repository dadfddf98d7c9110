"""The Django admin, for site staff only."""

from django.contrib import admin

from coproduce.studies.models import (
    Consent,
    ConsentText,
    Invitation,
    Membership,
    Organisation,
    Participant,
    Study,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "starts_on", "ends_on", "open_to_participants")
    search_fields = ("title", "slug")
    inlines = (MembershipInline,)
    filter_horizontal = ("organisations",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    search_fields = ("name",)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("pseudonym", "study", "role", "channel", "joined_at")
    list_filter = ("study", "role", "channel")
    search_fields = ("pseudonym", "xid")


admin.site.register(ConsentText)
admin.site.register(Consent)
admin.site.register(Invitation)
