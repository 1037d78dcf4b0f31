"""Staff pages of the organisations a user speaks for: the public profile, products and services,
members, and the requests of buyers, investors and mentors that match the organisation.

404 when the user may not see the organisation, 403 when they see it (a role in a project it is in)
but may not change it. Writes go through socec.orgs.services and socec.market.services."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socec.core.locking import Conflict, add_version_field, submitted_version
from socec.market import selectors as market
from socec.market.models import Request
from socec.market.services import answer_send
from socec.orgs.models import OrganisationMember, Product
from socec.orgs.services import organisation_member_add, organisation_save, product_delete, product_save

from . import forms, selectors

PAGE_SIZE = 30


def apply_errors(form, error: ValidationError) -> None:
    """A service's ValidationError next to the field it names, or above the form."""
    if isinstance(error, Conflict):
        error.apply_to(form)
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            if name == NON_FIELD_ERRORS and "name" in form.fields and any(
                    e.code == "unique" for e in errors):
                name = "name"  # a product name already used by the organisation
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _changeable(user, code):
    organisation, can_change = selectors.get_organisation_for(user, code)
    if not can_change:
        raise PermissionDenied(_("You may see this organisation but not change it."))
    return organisation


@login_required
@require_GET
def organisations(request):
    found = selectors.organisations_changeable_by(request.user).select_related("county")
    return render(request, "staff/organisation/list.html", {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")), "query": ""})


def _profile_page(request, organisation, *, form=None, product_form=None, member_form=None, status=200):
    return render(request, "staff/organisation/profile.html", {
        "org": organisation,
        "form": form or add_version_field(forms.ProfileForm(instance=organisation), organisation),
        "product_form": product_form or forms.ProductForm(),
        "member_form": member_form or forms.MemberForm(),
        "products": organisation.products.all(),
        "members": OrganisationMember.objects.filter(organisation=organisation).select_related("user")
        .order_by("user__username"),
        "matching_count": market.matching_requests(organisation).count(),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_profile(request, code):
    organisation = _changeable(request.user, code)
    if request.method == "GET":
        return _profile_page(request, organisation)
    form = add_version_field(forms.ProfileForm(request.POST, instance=organisation), organisation)
    if form.is_valid():
        version = submitted_version(form)
        try:
            organisation_save(organisation=organisation, by=request.user, expected_version=version,
                              **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Public profile saved."))
            return redirect("staff:organisation_profile", code=organisation.code)
    # The failed write may have set values on the object: show the stored organisation.
    organisation.refresh_from_db()
    return _profile_page(request, organisation, form=form, status=400)


@login_required
@require_POST
def product_add(request, code):
    organisation = _changeable(request.user, code)
    form = forms.ProductForm(request.POST)
    if form.is_valid():
        try:
            product_save(product=Product(organisation=organisation), by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Product or service added."))
            return redirect(reverse("staff:organisation_profile", args=[organisation.code]) + "#products-title")
    return _profile_page(request, organisation, product_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, code, pk):
    organisation = _changeable(request.user, code)
    product = get_object_or_404(Product, organisation=organisation, pk=pk)
    form = add_version_field(forms.ProductForm(request.POST or None, instance=product), product)
    if request.method == "POST" and form.is_valid():
        version = submitted_version(form)
        try:
            product_save(product=product, by=request.user, expected_version=version, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Product or service saved."))
            return redirect(reverse("staff:organisation_profile", args=[organisation.code]) + "#products-title")
    return render(request, "staff/organisation/product_form.html", {
        "org": organisation, "product": product, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def product_delete_view(request, code, pk):
    organisation = _changeable(request.user, code)
    product = get_object_or_404(Product, organisation=organisation, pk=pk)
    product_delete(product=product, by=request.user)
    messages.success(request, _("Product or service %(name)s deleted.") % {"name": product.name})
    return redirect(reverse("staff:organisation_profile", args=[organisation.code]) + "#products-title")


@login_required
@require_POST
def member_add(request, code):
    organisation = _changeable(request.user, code)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"].strip(),
                                               is_active=True).first()
        if user is None:
            form.add_error("username", _("No active user has this user name."))
        else:
            try:
                organisation_member_add(organisation=organisation, user=user, by=request.user)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("%(user)s now speaks for %(org)s.") % {
                    "user": user.get_username(), "org": organisation.name})
                return redirect(reverse("staff:organisation_profile", args=[organisation.code]) + "#members-title")
    return _profile_page(request, organisation, member_form=form, status=400)


def _requests_page(request, organisation, *, failed=None, status=200):
    """failed: (request pk, bound AnswerForm with errors), shown in place of that request's empty form."""
    page = Paginator(market.matching_requests(organisation).order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    answered = set(market.answers_of(organisation).values_list("request_id", flat=True))
    rows = []
    for item in page.object_list:
        form = failed[1] if failed and failed[0] == item.pk else forms.AnswerForm(prefix=f"r{item.pk}")
        rows.append({"item": item, "form": form, "answered": item.pk in answered})
    return render(request, "staff/organisation/requests.html", {
        "org": organisation, "page": page, "rows": rows, "query": "",
        "answers": market.answers_of(organisation)[:100],
        "matchable": organisation.public and organisation.is_ses,
    }, status=status)


@login_required
@require_GET
def organisation_requests(request, code):
    organisation = _changeable(request.user, code)
    return _requests_page(request, organisation)


@login_required
@require_POST
def answer(request, code, pk):
    organisation = _changeable(request.user, code)
    item = get_object_or_404(Request, pk=pk)
    if not market.matching_requests(organisation).filter(pk=item.pk).exists():
        messages.error(request, _("“%(title)s” is closed or does not match %(org)s: it takes no answer from it.")
                       % {"title": item.title, "org": organisation.name})
        return redirect("staff:organisation_requests", code=organisation.code)
    form = forms.AnswerForm(request.POST, prefix=f"r{item.pk}")
    if form.is_valid():
        try:
            answer_send(request=item, organisation=organisation, by=request.user,
                        message=form.cleaned_data["message"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Your answer to “%(title)s” was sent.") % {"title": item.title})
            return redirect(reverse("staff:organisation_requests", args=[organisation.code]) + "#answers-title")
    return _requests_page(request, organisation, failed=(item.pk, form), status=400)


