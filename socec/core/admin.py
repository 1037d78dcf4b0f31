"""Admin helpers. Django admin is for superusers; records that the services audit are read-only
here, so every change to programme data goes through a service and leaves an audit entry."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
