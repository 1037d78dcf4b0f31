"""Read queries about projects, for views and reports. Access is decided by the callers
(through socec.programmes.access); these functions only count and fetch."""

from django.utils import timezone

from socec.jobs.models import Job
from socec.outreach.models import Event
from socec.people.access import participations_visible_to

from .access import project_access
from .models import Partnership, Project, Target


def project_partnerships(project: Project):
    """The organisations in the project with their role (lead first)."""
    order = {Partnership.Role.LEAD: 0, Partnership.Role.PARTNER: 1, Partnership.Role.SUPPORTED: 2,
             Partnership.Role.NONE: 3}
    rows = list(project.partnerships.select_related("organisation"))
    return sorted(rows, key=lambda p: (order.get(p.role, 9), p.organisation.name))


def project_targets(project: Project):
    return Target.objects.filter(project=project).select_related("region", "county")


def project_overview(project: Project, user) -> dict:
    """The counts so far. Participants are those the user may see: a partner's staff count
    only the participants their own organisation registered (`participants_whole_project`)."""
    access = project_access(user, project)
    today = timezone.localdate()
    jobs = Job.objects.filter(project=project)
    return {
        "participants": participations_visible_to(user, project).count(),
        "participants_whole_project": access is not None and access.whole_project,
        "ses_supported": Partnership.objects.filter(project=project, role=Partnership.Role.SUPPORTED,
                                                    organisation__is_ses=True).count(),
        "jobs": jobs.count(),
        "jobs_vulnerable": jobs.filter(employments__vulnerable=True).distinct().count(),
        "events": Event.objects.filter(project=project, date__lte=today).count(),
    }
