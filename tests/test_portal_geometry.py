"""`socec load_geometry`: county boundaries for the public map, all or nothing."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from socec.portal.directory.geometry import simplify
from socec.portal.models import CountyShape
from tests.personas import make_org

pytestmark = pytest.mark.django_db

SHARED = Path("/work/shared/data/ro-counties.geojson")


def square(lon, lat, size=0.5, steps=10):
    """A closed ring with extra points on each side (so there is something to simplify)."""
    ring = []
    for i in range(steps):
        ring.append([lon + size * i / steps, lat])
    for i in range(steps):
        ring.append([lon + size, lat + size * i / steps])
    for i in range(steps):
        ring.append([lon + size - size * i / steps, lat + size])
    for i in range(steps):
        ring.append([lon, lat + size - size * i / steps])
    ring.append(ring[0])
    return ring


def feature(properties, geometry):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def polygon(lon, lat):
    return {"type": "Polygon", "coordinates": [square(lon, lat)]}


def write(tmp_path, data, name="counties.geojson") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def good_file(tmp_path) -> Path:
    return write(tmp_path, collection(
        feature({"iso_3166_2": "RO-CJ", "name": "Cluj"}, polygon(23.5, 46.7)),
        feature({"name": "Calarasi"}, {"type": "MultiPolygon", "coordinates": [
            [square(27.0, 44.2)], [square(27.6, 44.2, size=0.2)]]}),
        feature({"NAME_1": "Bistrița-Năsăud"}, polygon(24.5, 47.2)),
    ))


def run(path):
    out = []

    class Out:
        def write(self, text):
            out.append(text)

    call_command("load_geometry", str(path), stdout=Out())
    return "".join(out)


def test_loads_a_small_file_matching_by_iso_code_and_name(tmp_path):
    output = run(good_file(tmp_path))
    assert "Loaded 3 county shapes" in output
    shapes = {s.county_id: s for s in CountyShape.objects.all()}
    assert set(shapes) == {"CJ", "CL", "BN"}
    assert shapes["CL"].svg_path.count("M") == 2  # both polygons of the MultiPolygon
    assert shapes["CJ"].svg_path.startswith("M") and shapes["CJ"].svg_path.endswith("Z")
    # simplified: a square keeps its 4 corners
    assert shapes["CJ"].svg_path.count("L") == 3
    # west to east, north to south
    assert shapes["CJ"].label_x < shapes["CL"].label_x
    assert shapes["BN"].label_y < shapes["CL"].label_y
    assert max(s.max_x for s in shapes.values()) == pytest.approx(1000, abs=0.1)


def test_loading_again_replaces_the_shapes(tmp_path):
    run(good_file(tmp_path))
    run(write(tmp_path, collection(feature({"county": "TM"}, polygon(21.2, 45.7))), "one.geojson"))
    assert list(CountyShape.objects.values_list("county_id", flat=True)) == ["TM"]


def test_the_map_draws_loaded_shapes(client, tmp_path):
    make_org("CJ-1", "Atelier", county="CJ", public=True)
    page = client.get(reverse("portal:map")).content.decode()
    assert "<rect" in page and "<path" not in page  # the tile grid
    run(good_file(tmp_path))
    page = client.get(reverse("portal:map")).content.decode()
    assert "<path d=\"M" in page and "<rect" not in page
    assert 'href="/enterprises/?county=CJ"' in page
    assert 'class="map-area map-step-5" data-county="CJ"' in page
    assert "Timiș" in page  # every county stays in the table, with a shape or without
    assert client.get(reverse("portal:directory")).status_code == 200


@pytest.mark.parametrize(("content", "message"), [
    ("not json at all", "not a JSON file"),
    ("", "not a JSON file"),
    ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ('[1, 2]', "not a GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": []}', "no features"),
    (collection(feature({"name": "Atlantis"}, polygon(23, 46))), "no county matches"),
    (collection(feature({}, polygon(23, 46))), "no county matches"),
    (collection(feature({"county": "CJ"}, polygon(23, 46)), feature({"name": "Cluj"}, polygon(24, 46))),
     "appears twice"),
    (collection(feature({"county": "CJ"}, {"type": "Point", "coordinates": [23, 46]})), "not a Polygon"),
    (collection(feature({"county": "CJ"}, None)), "has no geometry"),
    (collection(feature({"county": "CJ"}, {"type": "Polygon", "coordinates": [[[23, 46], [24, 46]]]})),
     "fewer than 4 points"),
    (collection(feature({"county": "CJ"}, {"type": "Polygon", "coordinates": [[["a", 46], [24, 46], [24, 47],
                                                                                ["a", 46]]]})), "malformed"),
    (collection(feature({"county": "CJ"}, {"type": "Polygon", "coordinates": [square(2300, 4600)]})),
     "not a longitude and latitude"),
    (collection("not a feature"), "not a GeoJSON Feature"),
])
def test_bad_files_are_refused_and_nothing_is_written(tmp_path, content, message):
    run(good_file(tmp_path))
    before = list(CountyShape.objects.order_by("county").values_list("county_id", "svg_path"))
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, content, "bad.geojson"))
    assert message in str(error.value)
    assert "nothing loaded" in str(error.value)
    assert list(CountyShape.objects.order_by("county").values_list("county_id", "svg_path")) == before


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nowhere.geojson")
    assert not CountyShape.objects.exists()


def test_simplify_keeps_the_ends_and_drops_collinear_points():
    line = [(0, 0), (1, 0.01), (2, 0), (3, 5), (4, 0)]
    assert simplify(line, 0.5) == [(0, 0), (2, 0), (3, 5), (4, 0)]
    assert simplify([(0, 0), (1, 1)], 1) == [(0, 0), (1, 1)]


@pytest.mark.skipif(not SHARED.exists(), reason="the shared county boundaries file is not on this machine")
def test_the_real_county_boundaries(client):
    output = run(SHARED)
    assert "Loaded 42 county shapes" in output
    assert CountyShape.objects.count() == 42
    total = sum(len(p) for p in CountyShape.objects.values_list("svg_path", flat=True))
    assert total < 120_000  # simplified: the page stays light
    page = client.get(reverse("portal:map"))
    assert page.status_code == 200 and page.content.decode().count("<path d=") == 42
