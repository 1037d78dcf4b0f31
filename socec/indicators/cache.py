"""The report of several projects from cached per-project parts.

A report adds up over projects (everything but targets, which are read afresh, and distinct
persons, counted afresh across projects). So the report of all projects is the sum of one part per
project, and a part stays right as long as nothing it counted has changed: every write raises its
project's version in the same transaction (socec.indicators.versions), and a part is used only
under the version it was computed under. A changed project is counted again (alone, with the
same grouped queries as any report), the others are read back.

Correctness does not depend on timing: the versions are read before the stale parts are counted,
so a part counted while a write commits is stored under the old version and counted again next
time. `SOCEC_REPORT_CACHE = False` (or `report(..., cached=False)`) counts everything afresh.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .definitions import CODES
from .engine import Scope, participant_codes, project_parts, scope_project_ids
from .models import ReportPart, ReportVersion

KEEP_DAYS = 30  # parts not recomputed for this long are dropped (an old date asked for once)
# What a part holds and how (the indicator codes and their order in the shared-person masks): a part
# stored by another version of the engine is counted again, never misread.
LAYOUT_KEY = "_layout"
LAYOUT = "2:" + ",".join(CODES) + ":" + ",".join(participant_codes())
LAYOUT_ALONE = LAYOUT + ":alone"  # a part counted for its project's own report, without SHARED


def cached_parts(scope: Scope, as_of: dt.date) -> dict[int, dict]:
    """Each project of the scope -> its part, from the cache where its version has not moved since.
    One project's report needs no shared persons (it counts each person once anyway): its part may
    be one stored without them, and is stored without them when counted for it alone."""
    if not getattr(settings, "SOCEC_REPORT_CACHE", True):
        return project_parts(scope, as_of)
    ids = scope_project_ids(scope)
    wanted = set(ids)
    alone = scope.project is not None and scope.ids is None
    accepted = {LAYOUT, LAYOUT_ALONE} if alone else {LAYOUT}
    versions = ReportVersion.objects.all()  # first: see the docstring
    stored = ReportPart.objects.filter(as_of=as_of)
    if scope.project is not None or scope.projects is not None or scope.ids is not None:
        versions = versions.filter(project_id__in=ids)
        stored = stored.filter(project_id__in=ids)
    versions = dict(versions.values_list("project_id", "n"))
    parts = {pk: data for pk, version, data in stored.values_list("project_id", "version", "data").iterator(
        chunk_size=1000) if pk in wanted and version == versions.get(pk, 0) and data.pop(LAYOUT_KEY, None) in accepted}
    stale = [pk for pk in ids if pk not in parts]
    if stale:
        fresh = project_parts(scope if len(stale) == len(ids) else Scope(ids=tuple(stale)), as_of)
        _store(fresh, as_of, versions, LAYOUT_ALONE if alone else LAYOUT)
        parts.update(fresh)
    return parts


def _store(parts: dict[int, dict], as_of: dt.date, versions: dict[int, int], layout: str) -> None:
    rows = [ReportPart(project_id=pk, as_of=as_of, version=versions.get(pk, 0), data={**data, LAYOUT_KEY: layout})
            for pk, data in parts.items()]
    try:
        with transaction.atomic():
            ReportPart.objects.bulk_create(rows, batch_size=500, update_conflicts=True,
                                           unique_fields=["as_of", "project"],
                                           update_fields=["version", "data", "computed_at"])
            ReportPart.objects.filter(computed_at__lt=timezone.now() - dt.timedelta(days=KEEP_DAYS)).delete()
    except IntegrityError:  # a project deleted meanwhile: its part is simply not kept
        pass
