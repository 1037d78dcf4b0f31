from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from socec.portal import api as portal_api

urlpatterns = [
    path("", include("socec.portal.urls")),
    path("requests/", include("socec.market.urls")),
    path("staff/account/", include("socec.accounts.urls")),
    path("staff/", include("socec.staff.urls")),
    path("api/v1/", include("socec.indicators.api_urls")),
    path("api/v1/public/organisations", portal_api.organisations, name="api_public_organisations"),
    path("api/v1/public/impact", portal_api.impact_figures, name="api_public_impact"),
    path("api/v1/", include("socec.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
