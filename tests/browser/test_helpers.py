"""The checks themselves: axe-core finds what it should and says where; the phone-width check too.

These need only the browser (page.set_content), no server and no database.
"""

import pytest

from tests.browser.helpers import assert_fits_phone, assert_no_serious_violations, axe_violations, horizontal_overflow

BROKEN = """<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>
<h1>A form</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt">
<input type="text" id="no-label">
<p style="color:#bbb;background:#fff" id="pale">Pale grey on white</p>
</main></body></html>"""

FINE = """<!doctype html><html lang="en"><head><title>Fine</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
<h1>A form</h1>
<label for="name">Name</label> <input type="text" id="name">
<div style="overflow-x:auto" tabindex="0" role="region" aria-label="Wide table">
<table><caption>Wide</caption><tr><th scope="col">A_very_wide_column_header_that_does_not_fit_on_a_phone_at_all</th>
<td>and_then_some_more_text_that_does_not_wrap</td></tr></table></div>
</main></body></html>"""

WIDE = FINE.replace('<div style="overflow-x:auto"', '<div class="too-wide" style="width:900px"')


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    yield context.new_page()
    context.close()


def test_axe_reports_rule_impact_help_and_element(tab):
    tab.set_content(BROKEN)
    found = {v.rule: v for v in axe_violations(tab)}
    assert {"image-alt", "label", "color-contrast"} <= set(found)
    assert found["image-alt"].impact == "critical" and found["image-alt"].targets == ["#no-alt"]
    with pytest.raises(AssertionError) as failure:
        assert_no_serious_violations(tab)
    message = str(failure.value)
    assert "[critical] image-alt: Images must have alternative text" in message
    assert "at #no-label" in message and "at #pale" in message
    assert "https://dequeuniversity.com/rules/axe/" in message


def test_axe_passes_a_clean_page(tab):
    tab.set_content(FINE)
    assert axe_violations(tab) == []
    assert_no_serious_violations(tab)


def test_phone_width_check_names_what_is_too_wide(tab):
    tab.set_content(FINE)
    assert tab.evaluate("() => document.querySelector('table').getBoundingClientRect().width") > 360
    assert horizontal_overflow(tab) is None  # the wide table scrolls inside its own box
    assert_fits_phone(tab)
    tab.set_content(WIDE)
    overflow = horizontal_overflow(tab)
    assert overflow["width"] == 360 and overflow["scrollWidth"] > 361
    assert any("div.too-wide" in e for e in overflow["elements"])
    with pytest.raises(AssertionError, match="scrolls sideways at 360px"):
        assert_fits_phone(tab)


def test_crawl_verdict_fails_on_new_problems_and_xfails_on_known_ones(monkeypatch):
    from tests.browser import test_accessibility as a11y

    crawl = a11y.Crawl(visited=["/staff/"])
    crawl.findings.append(a11y.Finding("color-contrast", "staff/", "/staff/", 1280, "[serious] color-contrast"))
    with pytest.raises(AssertionError, match=r"(?s)1 problem\(s\) on 1 page\(s\).*color-contrast on /staff/ at 1280px"):
        a11y.judge(crawl, "test")
    monkeypatch.setattr(a11y, "KNOWN", {("color-contrast", "staff/"): "grey on grey in the footer"})
    with pytest.raises(pytest.xfail.Exception, match="color-contrast on staff/: grey on grey in the footer"):
        a11y.judge(crawl, "test")
    a11y.judge(a11y.Crawl(visited=["/staff/"]), "test")  # nothing found: passes
