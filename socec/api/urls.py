"""/api/v1/: the REST API (django-ninja, see api.py), mounted by socec/urls.py.

The operations that existed before the API keep their URL names (api_report, api_report_records,
api_public_organisations, api_public_impact) besides ninja's namespaced ones; any other path under
/api/v1/ answers a JSON 404."""

from django.http import JsonResponse
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _

from .api import api

ALIASES = {"report_get": "api_report", "report_records": "api_report_records",
           "public_organisations": "api_public_organisations", "public_impact": "api_public_impact"}


def _aliases():
    patterns, _app, _namespace = api.urls
    out = []
    for p in patterns:
        if isinstance(p, URLPattern) and p.name in ALIASES:
            out.append(URLPattern(p.pattern, p.callback, name=ALIASES[p.name]))
    return out


def not_found(request, rest=""):
    return JsonResponse({"detail": _("There is no such address in the API."), "errors": []}, status=404)


urlpatterns = [path("", api.urls), *_aliases(), re_path(r"^(?P<rest>.*)$", not_found)]
