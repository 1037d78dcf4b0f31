from django.contrib import admin

from socec.core.admin import ReadOnlyAdmin

from .models import Organisation, OrganisationMember, SupportGrant


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "legal_form", "county", "is_ses", "public"]
    list_filter = ["legal_form", "is_ses", "public", "county__region"]
    search_fields = ["code", "name", "cui"]


@admin.register(SupportGrant)
class SupportGrantAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "project", "granted_on", "amount", "de_minimis"]
    list_filter = ["de_minimis", "project"]
    search_fields = ["organisation__code", "organisation__name"]


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "user", "created_at"]
    search_fields = ["organisation__code", "organisation__name", "user__username"]
