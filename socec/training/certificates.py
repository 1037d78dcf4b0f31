"""The certificate of a completed course as an A4 PDF (reportlab, DejaVu Sans for ă â î ș ț).

A pure function of what it is given: the caller checks the right to see the person's name
and logs that view (socec.people.services.identity_for)."""

import datetime as dt
import io
from contextlib import nullcontext
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from socec.indicators.render import ACCENT, FONT, FONT_BOLD, INK, MUTED, RULE, _register_fonts


def _hours(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    return formats.number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)


def certificate_pdf(*, number: str, person_name: str, course_code: str, course_title: str, hours,
                    start: dt.date | None, end: dt.date | None, completed_on: dt.date, project_code: str,
                    project_title: str, organisation: str, issued_on: dt.date, language: str | None = None) -> bytes:
    """The certificate as PDF bytes."""
    _register_fonts()
    buffer = io.BytesIO()
    with translation.override(language) if language else nullcontext():
        base = ParagraphStyle("base", fontName=FONT, fontSize=12, leading=16, textColor=INK, alignment=TA_CENTER)
        title = ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=30, leading=36, textColor=ACCENT)
        name = ParagraphStyle("name", base, fontName=FONT_BOLD, fontSize=22, leading=28, spaceBefore=6,
                              spaceAfter=6)
        course = ParagraphStyle("course", base, fontName=FONT_BOLD, fontSize=16, leading=21)
        small = ParagraphStyle("small", base, fontSize=9, leading=12, textColor=MUTED)
        cell = ParagraphStyle("cell", base, fontSize=10, leading=13, alignment=0)
        head = ParagraphStyle("head", cell, fontName=FONT_BOLD)

        def date(value):
            return formats.date_format(value, "DATE_FORMAT") if value else "—"

        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=30 * mm,
                                bottomMargin=25 * mm, title=f"{_('Certificate')} {number}", author="SOCEC",
                                subject=f"{course_code} – {course_title}", creator="SOCEC")
        period = (f"{date(start)} – {date(end)}" if start or end else "—")
        details = [
            (_("Certificate number"), number),
            (_("Course"), f"{course_code} – {course_title}"),
            (_("Duration"), _("%(hours)s hours") % {"hours": _hours(hours)} if hours is not None else "—"),
            (_("Period"), period),
            (_("Completed on"), date(completed_on)),
            (_("Project"), f"{project_code} – {project_title}"),
            (_("Issued by"), organisation),
            (_("Date of issue"), date(issued_on)),
        ]
        table = Table([[Paragraph(escape(str(k)), head), Paragraph(escape(str(v)), cell)] for k, v in details],
                      colWidths=[50 * mm, doc.width - 50 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
        story = [
            Paragraph(escape(_("Certificate")), title),
            Spacer(1, 4 * mm),
            Paragraph(escape(_("of course completion")), base),
            Spacer(1, 14 * mm),
            Paragraph(escape(_("This certifies that")), base),
            Paragraph(escape(person_name), name),
            Paragraph(escape(_("has completed the course")), base),
            Spacer(1, 3 * mm),
            Paragraph(escape(course_title), course),
            Spacer(1, 14 * mm),
            table,
            Spacer(1, 24 * mm),
            Table([[Paragraph(escape(_("Signature and stamp")), small), Paragraph(escape(_("Date")), small)]],
                  colWidths=[doc.width / 2, doc.width / 2],
                  style=TableStyle([("LINEABOVE", (0, 0), (0, 0), 0.5, INK),
                                    ("LINEABOVE", (1, 0), (1, 0), 0.5, INK),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12)])),
        ]

        def on_page(canvas, document):
            canvas.saveState()
            canvas.setStrokeColor(ACCENT)
            canvas.setLineWidth(2)
            canvas.rect(12 * mm, 12 * mm, A4[0] - 24 * mm, A4[1] - 24 * mm)
            canvas.setFont(FONT, 8)
            canvas.setFillColor(colors.HexColor("#5b6775"))
            canvas.drawCentredString(A4[0] / 2, 16 * mm, f"SOCEC · {project_code} · {number}")
            canvas.restoreState()

        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def certificate_response(enrolment, *, by):
    """The enrolment's certificate as a PDF download. It names the person: reading the name is logged
    (identity_for); 404 when no certificate was issued or the person's identifiers were erased."""
    from django.http import Http404, HttpResponse
    from django.utils import timezone

    from socec.people.services import identity_for

    if not enrolment.certificate_no:
        raise Http404(_("No certificate was issued for this enrolment."))
    identity = identity_for(participation=enrolment.participation, by=by,
                            reason=_("certificate %(no)s") % {"no": enrolment.certificate_no})
    if identity is None:
        raise Http404(_("This person's identifiers were erased: the certificate cannot be made."))
    course, project = enrolment.course, enrolment.course.project
    hours = course.hours if course.hours is not None else (sum((s.hours or 0) for s in course.sessions.all()) or None)
    pdf = certificate_pdf(
        number=enrolment.certificate_no, person_name=f"{identity.first_name} {identity.last_name}",
        course_code=course.code, course_title=course.title, hours=hours, start=course.start_date,
        end=course.end_date, completed_on=enrolment.completed_on, project_code=project.code,
        project_title=project.title, organisation=enrolment.participation.organisation.name,
        issued_on=timezone.localdate(), language=translation.get_language())
    safe_no = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in enrolment.certificate_no)
    return HttpResponse(pdf, content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="certificate-{safe_no}.pdf"', "Cache-Control": "no-store"})
