from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

urlpatterns = [
    path("", include("socec.portal.urls")),
    path("requests/", include("socec.market.urls")),
    path("staff/account/", include("socec.accounts.urls")),
    path("staff/", include("socec.staff.urls")),
    path("api/v1/", include("socec.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
