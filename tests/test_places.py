from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from socec.core.validators import caen_section, caen_title
from socec.places.data import display_name
from socec.places.models import County, Locality, Region

pytestmark = pytest.mark.django_db
SIRUTA_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "siruta-2024-ins.csv"


def test_regions_and_counties():
    assert Region.objects.count() == 8
    assert County.objects.count() == 42
    assert sorted(County.objects.filter(region="RO32").values_list("code", flat=True)) == ["B", "IF"]
    assert County.objects.get(pk="CL").jud == 51


def test_localities_come_from_django_siruta_without_any_file():
    assert Locality.objects.filter(level=3).count() == 13755
    assert Locality.objects.filter(level=2).count() == 3181
    assert Locality.objects.get(pk=179132).name == "București"
    assert Locality.objects.exclude(area="").count() == 0  # area is unknown until load_siruta


def test_display_names():
    assert display_name("VALEA LUI MIHAI") == "Valea lui Mihai"
    assert display_name("MUNICIPIUL BISTRIŢA") == "Bistrița"
    assert display_name("C.A. ROSETTI") == "C.A. Rosetti"


def test_caen_helpers():
    assert caen_section("1413") == "C" and caen_section("4791") == "G"
    assert caen_title("1413", "ro")


def test_load_siruta_adds_area_and_types(tmp_path):
    csv = tmp_path / "siruta.csv"
    csv.write_text(
        '"SIRUTA","DENLOC","CODP","JUD","SIRSUP","TIP","NIV","MED","REGIUNE","FSJ","FSL","NUTS"\n'
        '1017,"MUNICIPIUL ALBA IULIA",0,1,10,1,2,"1",7,1,"0110040000000","RO121"\n'
        '1026,"ALBA IULIA",510005,1,1017,9,3,"1",7,1,"0110040100007","RO121"\n'
        '2149,"ALBAC",0,1,10,3,2,"3",7,1,"0","RO121"\n', encoding="utf-8")
    call_command("load_siruta", str(csv))
    assert Locality.objects.get(pk=1026).area == "urban"
    assert Locality.objects.get(pk=1026).parent_siruta == 1017
    assert Locality.objects.get(pk=2149).area == "rural"


def test_load_siruta_rejects_other_files_and_loads_nothing(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("load_siruta", str(bad))
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_siruta", str(tmp_path / "none.csv"))
    assert Locality.objects.exclude(area="").count() == 0


@pytest.mark.skipif(not SIRUTA_CSV.exists(), reason="../shared/data is not on this machine")
def test_load_the_official_file():
    call_command("load_siruta", str(SIRUTA_CSV))
    assert Locality.objects.filter(level=2, area="urban").count() == 319
    assert Locality.objects.filter(level=2, area="rural").count() == 2862
