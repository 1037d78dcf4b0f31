from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from socec.core.admin import ReadOnlyAdmin

from .models import Answer, Request
from .services import request_close


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "organisation_name", "poster_kind", "county", "caen", "is_open", "created_at"]
    list_filter = ["is_open", "kind", "poster_kind", "caen_section"]
    search_fields = ["title", "organisation_name"]
    exclude = ["contact_email"]  # private: it reaches the poster only through the outbox
    actions = ["close_requests"]

    @admin.action(description=_("Close the selected requests (spam, finished)"))
    def close_requests(self, request, queryset):
        closed = 0
        for item in queryset.filter(is_open=True):
            request_close(request=item, by=request.user)
            closed += 1
        self.message_user(request, ngettext("%(n)d request closed.", "%(n)d requests closed.", closed)
                          % {"n": closed}, messages.SUCCESS)


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["request", "organisation", "by", "created_at"]
    search_fields = ["request__title", "organisation__name", "organisation__code"]
