"""socec.indicators.render: the indicator report object written as CSV, XLSX and PDF (no database)."""

import base64
import csv
import io
import re
import shutil
import subprocess
import zlib

import openpyxl
import pytest
from django.utils import translation

from socec.indicators import render
from socec.indicators.definitions import BY_CODE, CODES

RO_NAME = "Persoane instruite în economia socială ș ț Ș Ț ă â î Ă Â Î"
COUNTIES = ["AB", "AR", "B", "BV", "CJ", "CL", "CT", "DJ", "GL", "IF", "IS", "PH", "SV", "TM", "VS"]


def make_report(scope="SOCEC.NET"):
    """Every code of definitions.CODES, with values, some targets, breakdowns of every kind."""
    indicators = {}
    for i, code in enumerate(CODES):
        indicators[code] = {"name": str(BY_CODE[code].name), "value": 3 * i}
        if i % 3 == 0:
            indicators[code]["target"] = 4 * i
    indicators["EECO01"] = {
        "name": "Total number of participants", "value": 140, "target": 145,
        "targets_by": {"county": {"IF": 70, "BZ": 5}, "region": {"RO32": 72.5}},
        "refused": 0, "distinct_persons": 140,
        "by": {"sex": {"F": 80, "M": 60}, "region": {"RO31": 70, "RO32": 70},
               "county": {"CL": 60, "IF": 70, "unknown": 10}, "area": {"rural": 50, "urban": 90}}}
    county_counts = {c: 3 + 5 * n for n, c in enumerate(COUNTIES)}
    indicators["EECO02"].update(value=sum(county_counts.values()), refused=2, distinct_persons=100,
                                by={"sex": {"F": 150, "M": 147, "X": 3}, "county": county_counts})
    indicators["SE01"] = {"name": RO_NAME, "value": 30, "target": 25, "by": {"sex": {"F": 20, "M": 10}}}
    indicators["SE04"] = {"name": "=HYPERLINK(\"http://x\")", "value": 4, "target": 0}
    indicators["SE08"] = {"name": "Events held", "value": 12,
                          "by": {"kind": {"caravan_stop": 10, "conference": 2}, "region": {"RO32": 12},
                                 "county": {"IF": 12}}}
    indicators["SE12"] = {"name": "Campaigns run", "value": 3, "reach": 12000,
                          "by": {"channel": {"online": 2, "tv": 1}}}
    indicators["SE13"] = {"name": "Publications issued", "value": 2, "by": {"kind": {"guide": 1, "study": 1}}}
    return {"scope": scope, "as_of": "2024-05-31", "indicators": indicators}


EXTRA = {"title": "Economie socială în regiunea București-Ilfov – SOCEC.NET", "period": "01.01.2024 – 31.12.2025",
         "partners": ["Asociația Șansa Țării (lider)", "Fundația Împreună (partener)"], "language": "en"}


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_long_format_rows():
    text = render.to_csv(make_report())
    assert "\r" not in text and text.endswith("\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["scope", "as_of", "indicator", "name", "breakdown", "part", "value", "target", "refused",
                       "distinct_persons", "reach"]
    report = make_report()
    for r in rows[1:]:  # the same figures as the report: refused, distinct persons and reach on the total row
        entry = report["indicators"][r[2]]
        expected = [entry.get(k) for k in ("refused", "distinct_persons", "reach")] if r[4] == "" else [None] * 3
        assert r[8:] == ["" if v is None else str(v) for v in expected]
    rows = [r[:8] for r in rows]
    eeco01 = [r for r in rows if r[2] == "EECO01"]
    head = ["SOCEC.NET", "2024-05-31", "EECO01", "Total number of participants"]
    assert eeco01 == [
        [*head, "", "", "140", "145"],
        [*head, "sex", "F", "80", ""],
        [*head, "sex", "M", "60", ""],
        [*head, "region", "RO31", "70", ""],
        [*head, "region", "RO32", "70", "72.5"],
        [*head, "county", "BZ", "0", "5"],  # a part with a target and nobody in it
        [*head, "county", "CL", "60", ""],
        [*head, "county", "IF", "70", "70"],
        [*head, "county", "unknown", "10", ""],  # unknown places last
        [*head, "area", "rural", "50", ""],
        [*head, "area", "urban", "90", ""],
    ]
    se12 = [r for r in rows if r[2] == "SE12"]
    assert se12 == [["SOCEC.NET", "2024-05-31", "SE12", "Campaigns run", "", "", "3", ""],
                    ["SOCEC.NET", "2024-05-31", "SE12", "Campaigns run", "channel", "online", "2", ""],
                    ["SOCEC.NET", "2024-05-31", "SE12", "Campaigns run", "channel", "tv", "1", ""]]
    # every indicator has its total row, in the order of the definitions
    assert [r[2] for r in rows[1:] if r[4] == ""] == CODES
    se01 = next(r for r in rows if r[2] == "SE01")
    assert se01[3] == RO_NAME


def test_csv_neutralises_formulas_but_not_numbers():
    report = make_report(scope="@SUM(A1)")
    report["indicators"]["EECO03"]["by"] = {"county": {"-5": 1, "+IF": 2, "=1+1": 3}}
    rows = list(csv.reader(io.StringIO(render.to_csv(report))))
    assert {r[0] for r in rows[1:]} == {"'@SUM(A1)"}
    se04 = next(r for r in rows if r[2] == "SE04")
    assert se04[3] == "'=HYPERLINK(\"http://x\")"
    parts = [r[5] for r in rows if r[2] == "EECO03" and r[4] == "county"]
    assert parts == ["'+IF", "-5", "'=1+1"]


def test_csv_with_missing_keys():
    report = {"scope": "ALL", "as_of": "2024-05-31", "indicators": {"SE09": {"name": "Localities", "value": 0}}}
    assert render.to_csv(report).splitlines()[1] == "ALL,2024-05-31,SE09,Localities,,,0,,,,"


# --- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_sheets_and_numbers(tmp_path):
    path = tmp_path / "report.xlsx"
    render.to_xlsx(make_report(), path, extra=EXTRA)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["indicators", "sex", "region", "county", "area", "kind", "channel", "about"]

    ws = wb["indicators"]
    assert [c.value for c in ws[1]] == ["Code", "Name", "Unit", "Value", "Target", "% of target", "Refused",
                                        "Distinct persons", "Reach"]
    assert ws.freeze_panes == "C2" and ws["A1"].font.bold
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert list(rows) == CODES
    eeco01 = rows["EECO01"]
    assert [c.value for c in eeco01] == ["EECO01", "Total number of participants", "persons", 140, 145,
                                         pytest.approx(140 / 145), 0, 140, None]
    assert eeco01[5].number_format == "0.0%"
    assert all(c.data_type == "n" for c in eeco01[3:8])
    assert rows["SE12"][8].value == 12000 and rows["SE12"][2].value == "campaigns"
    assert rows["SE01"][1].value == RO_NAME and rows["SE01"][5].value == pytest.approx(1.2)
    assert rows["SE04"][5].value is None  # target 0: no share
    assert rows["EECO02"][4].value is None and rows["EECO02"][5].value is None  # no target
    # a name that looks like a formula stays text
    assert rows["SE04"][1].value == "=HYPERLINK(\"http://x\")" and rows["SE04"][1].data_type == "s"
    assert ws.column_dimensions["B"].width > 30

    ws = wb["county"]
    header = [c.value for c in ws[1]]
    assert header == ["Code", "Name", *sorted({*COUNTIES, "BZ", "CL", "IF"}), "unknown", "Total"]
    table = {(r[0].value, r[1].value): [c.value for c in r] for r in ws.iter_rows(min_row=2)}
    value_row = table[("EECO01", "Total number of participants")]
    target_row = table[("EECO01", "Total number of participants (target)")]
    assert value_row[header.index("IF")] == 70 and value_row[header.index("BZ")] == 0
    assert value_row[header.index("unknown")] == 10 and value_row[-1] == 140
    assert target_row[header.index("IF")] == 70 and target_row[header.index("CL")] is None
    assert ("SE08", "Events held") in table and ("SE12", "Campaigns run") not in table

    ws = wb["kind"]
    assert [c.value for c in ws[1]] == ["Code", "Name", "caravan_stop", "conference", "guide", "study", "Total"]
    assert [c.value for c in ws[2]] == ["SE08", "Events held", 10, 2, None, None, 12]
    assert [c.value for c in ws[3]] == ["SE13", "Publications issued", None, None, 1, 1, 2]
    assert all(wb[name].freeze_panes == "C2" for name in wb.sheetnames[1:-1])

    about = {r[0].value or "": r[1].value for r in wb["about"].iter_rows()}
    assert about["Scope"] == "SOCEC.NET"
    assert about["Figures as of"].date().isoformat() == "2024-05-31"
    assert about["Project"] == EXTRA["title"] and about["Partners"] == EXTRA["partners"][0]


def test_xlsx_sheet_names_are_valid_and_unique():
    used = set()
    names = [render._sheet_title(label, used) for label in
             ["mediu (urban/rural)", "a" * 40, "a" * 40, "x[1]:*?\\", "'quoted'", "Sex", "sex"]]
    assert names == ["mediu (urban-rural)", "a" * 31, "a" * 29 + "-2", "x-1-----", "quoted", "Sex", "sex-2"]
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)


def test_xlsx_to_a_file_object_in_romanian():
    out = io.BytesIO()
    render.to_xlsx(make_report(scope="ALL"), out, extra={"language": "ro"})
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    # the breakdown kinds use the catalogue's words: "area" is "mediu (urban/rural)", without the "/"
    assert {"județ", "regiune", "mediu (urban-rural)"} <= set(wb.sheetnames)
    assert translation.get_language() == "en"  # the language of the report does not leak


# --- PDF ------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text of a PDF written by reportlab: its content streams, each string decoded through the
    ToUnicode map of the font it is shown in (enough for these reports; pdftotext does the rest)."""
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(?s)\n(\d+) 0 obj\s*(.*?)endobj", data)}

    def stream(body):
        start = re.search(rb"stream\r?\n", body).end()
        raw = body[start:start + int(re.search(rb"/Length (\d+)", body)[1])]
        filters = body.split(b"stream")[0]
        if b"/ASCII85Decode" in filters:
            raw = base64.a85decode(raw.strip(), adobe=True)
        return zlib.decompress(raw) if b"/FlateDecode" in filters else raw

    cmaps = {}
    for number, body in objects.items():
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        name = re.search(rb"/BaseFont /(\S+)", body)
        if to_unicode and name:
            cmap = stream(objects[int(to_unicode[1])])
            pairs = re.findall(rb"<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>", cmap.split(b"beginbfchar")[1])
            cmaps[number] = {int(a, 16): bytes.fromhex(b.decode()).decode("utf-16-be") for a, b in pairs}
    fonts = {}  # the name of a font in the content streams -> its map
    for body in objects.values():
        for name, number in re.findall(rb"/(\S+) (\d+) 0 R", body):
            if int(number) in cmaps:
                fonts[name] = cmaps[int(number)]
    text = []
    for body in objects.values():
        if b"stream" not in body or b"/Length" not in body:
            continue
        try:
            content = stream(body)
        except (zlib.error, ValueError):
            continue
        if b" Tf" not in content:
            continue
        font = {}
        for token in re.finditer(rb"/(\S+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj|(T\*|Td|TD|ET)", content):
            if token[1]:
                font = fonts.get(token[1], {})
            elif token[3]:
                text.append("\n")
            else:
                raw = re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m[1], 8)]) if m[1][:1].isdigit()
                             else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m[1], m[1]), token[2])
                text.append("".join(font.get(b, chr(b)) for b in raw))
    return "".join(text)


@pytest.fixture(scope="module")
def pdf_bytes():
    out = io.BytesIO()
    with translation.override("en"):
        render.to_pdf(make_report(), out, extra=EXTRA)
    return out.getvalue()


def test_pdf_is_a4_with_the_figures(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf_bytes  # A4
    assert b"DejaVuSans" in pdf_bytes  # embedded: the text has ș and ț
    text = pdf_text(pdf_bytes)
    words = " ".join(text.split())
    assert "Indicator report" in words and "SOCEC.NET" in words and "May 31, 2024" in words
    assert all(code in text for code in CODES)
    assert RO_NAME in words
    assert EXTRA["title"] in words and "Asociația Șansa Țării (lider)" in words
    assert "96.6%" in words and "120.0%" in words  # EECO01 140/145, SE01 30/25
    assert "caravan stop" in words and "television" in words and "female" in words  # parts by their labels
    assert "EECO01 by county" in words and "Progress towards the targets" in words


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_pdf_text_with_pdftotext(pdf_bytes, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    words = " ".join(text.split())
    assert "SOCEC.NET" in words and RO_NAME in words and all(code in words for code in CODES)
    assert "Economie socială în regiunea București-Ilfov" in words


def test_pdf_without_extra_in_romanian_and_to_a_path(tmp_path):
    report = make_report(scope="ALL")
    report["indicators"]["EECO01"]["name"] = "Numărul total de participanți & <alții>"
    path = tmp_path / "report.pdf"
    render.to_pdf(report, str(path), extra={"language": "ro"})
    text = " ".join(pdf_text(path.read_bytes()).split())
    assert "31 Mai 2024" in text and "Numărul total de participanți & <alții>" in text
    assert "județ" in text.casefold()  # the breakdown kind, from the catalogue
    assert translation.get_language() == "en"


def test_pdf_of_an_empty_report():
    out = io.BytesIO()
    render.to_pdf({"scope": "X", "as_of": "2024-01-01", "indicators": {code: {"value": 0} for code in CODES}}, out)
    assert out.getvalue().startswith(b"%PDF")
    assert "EECO01" in pdf_text(out.getvalue())
