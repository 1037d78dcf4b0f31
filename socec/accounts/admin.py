"""Two-factor authentication in the admin: who has set it up; a superuser can reset it (audited)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from socec.core.admin import ReadOnlyAdmin

from . import services
from .models import TwoFactor


@admin.register(TwoFactor)
class TwoFactorAdmin(ReadOnlyAdmin):
    list_display = ["user", "confirmed_at", "created_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "confirmed_at", "created_at"]  # never the key
    readonly_fields = fields
    actions = ["reset"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    @admin.action(description=_("Reset two-factor authentication (the user sets it up again at the next sign-in)"),
                  permissions=["reset"])
    def reset(self, request, queryset):
        done = 0
        for row in queryset.select_related("user"):
            try:
                done += services.two_factor_reset(user=row.user, by=request.user)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
        self.message_user(request, ngettext(
            "Two-factor authentication was reset for %(count)d user.",
            "Two-factor authentication was reset for %(count)d users.", done) % {"count": done}, messages.SUCCESS)

    def has_reset_permission(self, request):
        return request.user.is_active and request.user.is_superuser
