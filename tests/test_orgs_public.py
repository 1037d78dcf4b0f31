"""What the public directory relies on in the registry: search text and who speaks for an organisation."""

import pytest
from django.core.exceptions import PermissionDenied

from socec.audit.models import AuditEntry
from socec.orgs.models import OrganisationMember, Product
from socec.orgs.services import (
    can_change_organisation,
    organisation_member_add,
    organisation_save,
    product_delete,
    product_save,
)
from socec.places.models import Locality
from tests.personas import make_org, make_user

pytestmark = pytest.mark.django_db


def test_search_text_has_no_diacritics_and_follows_the_products():
    locality = Locality.objects.filter(county_id="CL").first()
    org = make_org("SES-CL", "Cooperativa Țesătoarele", county="CL", description="Covoare lucrate de mână",
                   locality=locality)
    assert "cooperativa tesatoarele" in org.search_text and "calarasi" in org.search_text
    assert "mana" in org.search_text
    product = product_save(product=Product(organisation=org), by=None, kind="product", name="Ștergare brodate")
    org.refresh_from_db()
    assert "stergare brodate" in org.search_text
    product_delete(product=product, by=None)
    org.refresh_from_db()
    assert "stergare" not in org.search_text


def test_a_member_may_change_the_organisation_and_others_may_not(world):
    ses = make_org("SES-1", "Întreprinderea socială")
    manager = make_user("ses_manager")
    assert not can_change_organisation(manager, ses)
    with pytest.raises(PermissionDenied):
        organisation_member_add(organisation=ses, user=manager, by=world.b_manager)
    assert not OrganisationMember.objects.exists()
    organisation_member_add(organisation=ses, user=manager, by=None)
    organisation_member_add(organisation=ses, user=manager, by=None)  # once only
    assert OrganisationMember.objects.filter(organisation=ses, user=manager).count() == 1
    assert can_change_organisation(manager, ses)
    organisation_save(organisation=ses, by=manager, description="Produse din lână")
    assert AuditEntry.objects.filter(actor=manager, object_repr="Întreprinderea socială").exists()
    with pytest.raises(PermissionDenied):
        organisation_save(organisation=world.org_a, by=manager, description="Nu")
