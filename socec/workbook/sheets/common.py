"""What the sheets share: the project's participants by person_ref, and writing new records in batches."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from socec.audit.models import AuditEntry
from socec.audit.services import actor_name
from socec.people.models import Participation

from .. import bulk
from ..importer import messages_of


def participation_ids(imp) -> dict[str, int]:
    """person_ref -> participation id, for the project (the ones this import creates included)."""
    if getattr(imp, "refs", None) is None:
        imp.refs = {}
        imp.ref_org = {}
        for ref, pk, org in Participation.objects.filter(project=imp.project).values_list(
                "person_ref", "id", "organisation_id").iterator(chunk_size=20_000):
            imp.refs[ref] = pk
            imp.ref_org[ref] = org
    return imp.refs


class Creator:
    """New records of a sheet: checked with the model's own field rules (the checks that need the
    database, keys and references, the import has already made), then written in batches with one
    audit entry each, as the services would. Changes to existing records do not come here."""

    def __init__(self, imp, sheet: str, model, capability: str | None, *, prepare=None, allowed=None):
        self.imp, self.sheet, self.model, self.prepare = imp, sheet, model, prepare
        self.allowed = imp.can(capability) if allowed is None else allowed
        self.refused = False
        self.count = True  # False where the record is part of a row counted elsewhere
        self.pending = []
        self.relations = [f.name for f in model._meta.concrete_fields if f.is_relation]

    def add(self, row, instance, column_of=None) -> bool:
        imp = self.imp
        if not self.allowed:
            row.ok = False  # the rows that name this one are skipped, not reported again
            if not self.refused:
                imp.error(self.sheet, None, "", _("Your role does not allow adding these records to the project."))
                self.refused = True
            return False
        try:
            # References were resolved by the import itself; ForeignKey.validate would query each one.
            instance.clean_fields(exclude=self.relations)
            instance.clean()
            if self.prepare:
                self.prepare(instance)
        except ValidationError as exc:
            sheet_columns = imp.columns.get(self.sheet, {})
            for field_name, message in messages_of(exc):
                column = (column_of or {}).get(field_name, field_name if field_name in sheet_columns else "")
                imp.error(self.sheet, row, column, message)
            return False
        self.pending.append(instance)
        if self.count:
            imp.count(self.sheet, "created")
        if len(self.pending) >= 2_000:
            self.flush()
        return True

    def flush(self):
        imp = self.imp
        if self.pending:
            self.model.objects.bulk_create(self.pending, batch_size=500)
            audit = BulkAudit(imp, self.model._meta.label_lower)
            for o in self.pending:
                audit.add(o.pk, str(o))
            audit.flush()
        self.pending = []



def scope(imp):
    """(organisation id new participants are registered under, id the user is limited to or None)."""
    access = imp.access()
    own = access.organisation_id if access is not None else None
    return own or imp.project.lead_organisation_id, own


def visible_participation(imp, sheet: str, row, ref: str, own_org) -> int | None:
    """The participation id of a person_ref, or an error saying why not."""
    pid = participation_ids(imp).get(ref)
    if pid is None:
        if imp.is_failed("participants", ref):
            row.ok = False
        else:
            imp.error(sheet, row, "person_ref", _("Not a participant of the project (not in the participants "
                                                  "sheet)."))
        return None
    if own_org is not None and imp.ref_org.get(ref) != own_org:
        imp.error(sheet, row, "person_ref", _("This participant was registered by another organisation."))
        return None
    return pid


def vulnerable_participations(imp) -> set[int]:
    """Ids of the project's participants in at least one vulnerable category (this import's included)."""
    found = set(Participation.objects.filter(project=imp.project, vulnerable__isnull=False).values_list(
        "id", flat=True).distinct())
    return found | getattr(imp, "vulnerable_created", set())


def missing(imp, sheet: str, row, column: str, target_sheet: str, key, message: str) -> None:
    """A reference to nothing: an error, unless it names a row that failed (already reported there)."""
    if imp.is_failed(target_sheet, key):
        row.ok = False
    else:
        imp.error(sheet, row, column, message)


class BulkAudit:
    """Audit entries of the records an import creates in batches: one per record, as the services
    write, naming the import's file as the reason."""

    def __init__(self, imp, model_label: str):
        self.inserter = bulk.Inserter(AuditEntry, ["at", "actor_id", "actor_name", "action", "project_id", "model",
                                                   "object_id", "object_repr", "changes", "reason"])
        by = imp.by
        self.head = (bulk.now_value(), by.pk if by is not None and by.pk else None, actor_name(by),
                     AuditEntry.Action.CREATE, imp.project.pk if imp.project is not None else None, model_label)
        self.tail = (bulk.json_value({"source": [None, "workbook"]}),
                     (_("workbook import: %(file)s") % {"file": imp.report.file_name})[:300])
        self.rows = []

    def add(self, pk, label: str):
        self.rows.append((*self.head, str(pk), label[:200], *self.tail))

    def flush(self):
        self.inserter.insert(self.rows)
        self.rows = []
