from django.contrib import admin

from socec.core.admin import ReadOnlyAdmin

from .models import Membership, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "start_date", "end_date", "lead_organisation"]
    search_fields = ["code", "title"]
    inlines = [MembershipInline]
