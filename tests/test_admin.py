import pytest

pytestmark = pytest.mark.django_db


def test_admin_is_for_superusers_only(world, login):
    assert login(world.admin).get("/admin/").status_code == 200
    assert login(world.admin).get("/admin/people/participation/").status_code == 200
    assert login(world.lead_manager).get("/admin/").status_code == 302  # staff-only login page
    assert login(None).get("/admin/").status_code == 302


def test_admin_never_shows_identifiers(world, login):
    page = login(world.admin).get(f"/admin/people/participation/{world.alice.pk}/change/").content.decode()
    assert "A-001" in page and "Alice" not in page and "2900512230011" not in page
