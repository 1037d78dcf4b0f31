from django.contrib import admin

from socec.core.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "action", "model", "object_id", "object_repr", "project"]
    list_filter = ["action", "model", "project"]
    search_fields = ["actor_name", "object_repr", "=object_id"]
    date_hierarchy = "at"
