"""The open data in the API (/api/v1/public/...): no login, the same rows as /open-data/."""

import datetime as dt

from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from .activities import impact
from .directory import selectors

PAGE = 500
MAX_PAGE = 2000


def _public(response: JsonResponse) -> JsonResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def organisations(request):
    """The public directory, by code, a page at a time: `?after=<code>&limit=<n>`; `next` is the
    address of the following page, null after the last."""
    try:
        limit = int(request.GET.get("limit", PAGE))
    except ValueError:
        return _public(JsonResponse({"error": "limit must be a whole number", "field": "limit"}, status=400))
    if not 1 <= limit <= MAX_PAGE:
        return _public(JsonResponse({"error": f"limit must be 1 to {MAX_PAGE}", "field": "limit"}, status=400))
    after = request.GET.get("after", "")[:40]
    rows = [dict(zip(selectors.OPEN_DATA_COLUMNS, row, strict=True))
            for row in selectors.open_data_rows(after=after, limit=limit + 1)]
    more = len(rows) > limit
    rows = rows[:limit]
    following = None
    if more:
        following = request.build_absolute_uri(
            reverse("api_public_organisations") + "?" + urlencode({"after": rows[-1]["code"], "limit": limit}))
    return _public(JsonResponse({"columns": list(selectors.OPEN_DATA_COLUMNS), "results": rows, "next": following},
                                json_dumps_params={"ensure_ascii": False}))


@require_safe
def impact_figures(request):
    """The impact figures per region, year and indicator (as /open-data/impact.json)."""
    return _public(JsonResponse({"columns": list(impact.COLUMNS), "generated_on": dt.date.today().isoformat(),
                                 "rows": impact.open_data_rows(impact.impact_figures())},
                                json_dumps_params={"ensure_ascii": False}))
