from django.contrib import admin

from socec.core.admin import ReadOnlyAdmin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """Where imports stand. Neither the file nor the report (whose values may be identifiers) is shown."""

    list_display = ["id", "original_name", "status", "project", "created_by", "created_at", "size"]
    list_filter = ["status"]
    search_fields = ["original_name", "sha256"]
    fields = ["original_name", "size", "sha256", "status", "project", "created_by", "confirmed_by", "language",
              "task_id", "progress_done", "progress_total", "stage", "created_at", "updated_at"]
    readonly_fields = fields
