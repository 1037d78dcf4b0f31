"""The organisations a user speaks for (the staff organisation pages): the public profile, products and
services, members, and the market requests that match the organisation, with answers. Organisations are
addressed by numeric id. As on the staff pages, the organisation pages' selectors decide: 404 when the
user may not see the organisation, 403 when they see it but may not change it (every page of an
organisation shows its private contact details, so reading needs the right to change it too)."""

import datetime as dt
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from socec.market import selectors as market
from socec.market.models import Request
from socec.market.services import answer_send
from socec.orgs.models import Organisation, OrganisationMember, Product
from socec.orgs.services import organisation_member_add, organisation_save, product_delete, product_save
from socec.staff.organisation import selectors
from socec.staff.organisation.forms import ProfileForm

from ..base import DEFAULT_LIMIT, ApiError, Id, Limit, Page, ShortText, Text, Version, paginate, responses
from ..locking import call, check_version, version_of
from .enterprises import ProductOut, ProductPatchIn, product_out, product_values
from .public import RequestOut

router = Router(tags=["organisations"])


def _organisation(request, pk: Id) -> Organisation:
    """404 unless the user sees the organisation; 403 unless they may change it."""
    code = Organisation.objects.filter(pk=pk).values_list("code", flat=True).first()
    if code is None:
        raise Http404(_("No such organisation."))
    organisation, can_change = selectors.get_organisation_for(request.user, code)
    if not can_change:
        raise PermissionDenied(_("You may see this organisation but not change it."))
    return organisation


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    legal_form: str
    county: str
    is_ses: bool
    caen: str
    public: bool
    website: str
    contact_email: str
    contact_phone: str
    description: str
    matching_requests: int
    version: Version | None = None


def organisation_out(o: Organisation) -> dict:
    return {"id": o.pk, "code": o.code, "name": o.name, "legal_form": o.legal_form, "county": o.county_id,
            "is_ses": o.is_ses, "caen": o.caen, "public": o.public, "website": o.website,
            "contact_email": o.contact_email, "contact_phone": o.contact_phone, "description": o.description,
            "matching_requests": market.matching_requests(o).count(), "version": version_of(o)}


class ProfileIn(Schema):
    description: Text | None = None
    website: ShortText | None = Field(None, max_length=200)
    contact_email: ShortText | None = Field(None, max_length=254)
    contact_phone: ShortText | None = Field(None, max_length=30)
    public: bool | None = None
    version: Version | None = None


@router.get("/organisations", response=responses(Page[OrganisationOut]),
            summary="The organisations you speak for (may change)")
def organisation_list(request, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    return paginate(selectors.organisations_changeable_by(request.user).order_by(), cursor, limit, organisation_out)


@router.get("/organisations/{pk}", response=responses(OrganisationOut), summary="An organisation's public profile")
def organisation_get(request, pk: Id):
    return organisation_out(_organisation(request, pk))


@router.patch("/organisations/{pk}", response=responses(OrganisationOut),
              summary="Change the public profile (description, website, contact, shown in the directory)")
def organisation_update(request, pk: Id, payload: ProfileIn):
    organisation = _organisation(request, pk)
    sent = payload.dict(exclude_unset=True, exclude={"version"})
    data = {name: getattr(organisation, name) for name in ProfileForm.Meta.fields}
    data.update({k: ("" if v is None and k != "public" else v) for k, v in sent.items()})
    data["public"] = bool(data["public"])
    form = ProfileForm(data, instance=organisation)
    if not form.is_valid():
        errors = [{"field": None if field == "__all__" else field, "message": str(m)}
                  for field, messages in form.errors.items() for m in messages]
        raise ApiError(400, _("The request is not valid: see the errors."), errors)
    check_version(organisation, payload.version)
    values = {k: form.cleaned_data[k] for k in ProfileForm.Meta.fields}
    organisation = call(organisation_save, organisation=organisation, by=request.user,
                        expected_version=payload.version, **values)
    return organisation_out(organisation)


# --- products and services ----------------------------------------------------------------------------------


class ProductIn(Schema):
    kind: Literal[tuple(Product.Kind.values)] = Product.Kind.PRODUCT.value
    name: ShortText = Field(max_length=200)
    description: Text = ""


def _product(request, pk, product_pk) -> Product:
    organisation = _organisation(request, pk)
    product = Product.objects.select_related("organisation").filter(organisation=organisation, pk=product_pk).first()
    if product is None:
        raise Http404(_("No such product or service."))
    return product


@router.get("/organisations/{pk}/products", response=responses(Page[ProductOut]),
            summary="The organisation's products and services")
def organisation_product_list(request, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    return paginate(Product.objects.filter(organisation=_organisation(request, pk)), cursor, limit, product_out)


@router.post("/organisations/{pk}/products", response=responses(ProductOut, 201),
             summary="Add a product or service")
def organisation_product_create(request, pk: Id, payload: ProductIn):
    organisation = _organisation(request, pk)
    return Status(201, product_out(product_save(product=Product(organisation=organisation), by=request.user,
                                                **payload.dict())))


@router.get("/organisations/{pk}/products/{product_pk}", response=responses(ProductOut),
            summary="A product or service")
def organisation_product_get(request, pk: Id, product_pk: Id):
    return product_out(_product(request, pk, product_pk))


@router.patch("/organisations/{pk}/products/{product_pk}", response=responses(ProductOut),
              summary="Change a product or service")
def organisation_product_update(request, pk: Id, product_pk: Id, payload: ProductPatchIn):
    product = _product(request, pk, product_pk)
    return product_out(call(product_save, product=product, by=request.user, expected_version=payload.version,
                            **product_values(payload)))


@router.delete("/organisations/{pk}/products/{product_pk}", response=responses(None, 204),
               summary="Delete a product or service")
def organisation_product_delete(request, pk: Id, product_pk: Id):
    product_delete(product=_product(request, pk, product_pk), by=request.user)
    return Status(204, None)


# --- members --------------------------------------------------------------------------------------------------


class OrgMemberOut(Schema):
    id: int
    username: str
    created_at: dt.datetime


class OrgMemberIn(Schema):
    username: ShortText = Field(max_length=150)


def org_member_out(m: OrganisationMember) -> dict:
    return {"id": m.pk, "username": m.user.get_username(), "created_at": m.created_at}


@router.get("/organisations/{pk}/members", response=responses(Page[OrgMemberOut]),
            summary="Who speaks for the organisation")
def organisation_member_list(request, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    organisation = _organisation(request, pk)
    return paginate(OrganisationMember.objects.filter(organisation=organisation).select_related("user"), cursor,
                    limit, org_member_out)


@router.post("/organisations/{pk}/members", response=responses(OrgMemberOut, 201),
             summary="Let a user speak for the organisation")
def organisation_member_create(request, pk: Id, payload: OrgMemberIn):
    organisation = _organisation(request, pk)
    user = get_user_model().objects.filter(username=payload.username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"username": _("No active user has this user name.")})
    member = organisation_member_add(organisation=organisation, user=user, by=request.user)
    return Status(201, org_member_out(member))


# --- market requests that match the organisation ---------------------------------------------------------------


class MatchingRequestOut(RequestOut):
    answered: bool


class AnswerIn(Schema):
    message: Text


class AnswerOut(Schema):
    id: int
    request_id: int
    organisation_id: int
    message: str
    created_at: dt.datetime


@router.get("/organisations/{pk}/requests", response=responses(Page[MatchingRequestOut]),
            summary="The open market requests that match the organisation (public social economy structures only)")
def organisation_request_list(request, pk: Id, cursor: ShortText | None = None, limit: Limit = DEFAULT_LIMIT):
    organisation = _organisation(request, pk)
    answered = set(market.answers_of(organisation).values_list("request_id", flat=True))

    def out(r: Request) -> dict:
        return {"id": r.pk, "kind": r.kind, "title": r.title, "description": r.description, "county": r.county_id,
                "caen_section": r.caen_section, "caen": r.caen, "organisation_name": r.organisation_name,
                "poster_kind": r.poster_kind, "created_at": r.created_at, "answered": r.pk in answered}

    return paginate(market.matching_requests(organisation), cursor, limit, out)


@router.post("/organisations/{pk}/requests/{request_pk}/answers", response=responses(AnswerOut, 201),
             summary="Answer a matching request (sent by e-mail to the poster)")
def organisation_answer(request, pk: Id, request_pk: Id, payload: AnswerIn):
    organisation = _organisation(request, pk)
    item = market.matching_requests(organisation).filter(pk=request_pk).first()
    if item is None:
        raise Http404(_("No open request with this id matches the organisation."))
    answer = answer_send(request=item, organisation=organisation, by=request.user, message=payload.message)
    return Status(201, {"id": answer.pk, "request_id": answer.request_id, "organisation_id": answer.organisation_id,
                        "message": answer.message, "created_at": answer.created_at})
