"""Public pages of the market: the requests, one request, the form to post one, the poster's
private page to close it. No sign-in; the poster's e-mail never appears on a page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from socec.core.forms import apply_errors

from . import selectors, services, spam
from .forms import RequestFilterForm, RequestForm
from .models import Request

PAGE_SIZE = 20
MATCHES_SHOWN = 50
SESSION_LINK = "socec_market_manage_%s"


@require_GET
def requests(request):
    form = RequestFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"kind": data["kind"], "county": data["county"].code if data["county"] else "",
                   "section": data["section"]}
    found = selectors.public_requests(**filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "market/list.html", {
        "form": form, "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(), "filtered": any(filters.values()),
    })


def _request_page(request, item, *, status=200, extra=None):
    matches = selectors.matching_organisations(item)
    context = {"item": item, "matches_count": matches.count(), "matches": matches[:MATCHES_SHOWN],
               "answers_count": item.answers.count()}
    context.update(extra or {})
    return render(request, "market/detail.html", context, status=status)


@require_GET
def request_detail(request, pk):
    item = get_object_or_404(Request.objects.select_related("county"), pk=pk)
    # The management link, shown once to whoever just posted the request.
    manage_link = request.session.pop(SESSION_LINK % item.pk, None)
    return _request_page(request, item, extra={
        "manage_link": request.build_absolute_uri(manage_link) if manage_link else ""})


@require_http_methods(["GET", "POST"])
def request_new(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = spam.client_ip(request)
        reason = form.spam_error()
        if not reason and spam.rate_limited(ip):
            reason = _("Too many requests were posted from your connection. Please try again in an hour.")
        if reason:
            form.add_error(None, reason)
        else:
            values = {name: form.cleaned_data[name] for name in services.POST_FIELDS}
            try:
                item = services.request_post(by=None, site_url=request.build_absolute_uri("/"), **values)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                spam.count_post(ip)
                request.session[SESSION_LINK % item.pk] = services.manage_path(item)
                messages.success(request, _("Your request is public. We sent its private management link to "
                                            "your e-mail address."))
                return redirect("market:request", pk=item.pk)
    return render(request, "market/form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def request_manage(request, pk, token):
    item = get_object_or_404(Request.objects.select_related("county"), pk=pk)
    if not services.token_is_valid(item, token):
        raise Http404(_("This management link is not valid."))
    if request.method == "POST":
        services.request_close(request=item, token=token, by=request.user)
        messages.success(request, _("Your request is closed: it no longer appears in the list and takes no "
                                    "more answers."))
        return redirect("market:request", pk=item.pk)
    return render(request, "market/manage.html", {
        "item": item, "answers_count": item.answers.count(),
        "matches_count": selectors.matching_organisations(item).count()})
