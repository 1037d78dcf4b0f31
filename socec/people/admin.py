from django.contrib import admin

from socec.core.admin import ReadOnlyAdmin

from .models import Participation, VulnerableCategory


@admin.register(VulnerableCategory)
class VulnerableCategoryAdmin(admin.ModelAdmin):
    """Reference data: the names and accepted proof documents may be refined here."""

    list_display = ["code", "name_ro", "name_en"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    """Pseudonymous facts only: identifiers are shown through the staff application's logged views."""

    list_display = ["person_ref", "project", "organisation", "county", "entry_date", "exit_date"]
    list_filter = ["project", "county__region"]
    search_fields = ["=person_ref"]
    exclude = ["person"]
