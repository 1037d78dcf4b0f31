"""The staff application: sign-in, the user's projects, a project's overview and audit log."""

from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from socec.accounts import lockout
from socec.accounts.forms import SignInForm
from socec.accounts.middleware import start_session
from socec.accounts.views import after_password
from socec.programmes.access import audit_entries_visible, get_project_for
from socec.programmes.roles import Cap
from socec.programmes.selectors import project_overview, project_partnerships, project_targets

from . import selectors

AUDIT_PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    """The password step of signing in (locked after repeated failures: socec.accounts.forms.SignInForm);
    then the second factor when the user needs one (socec.accounts.views.verify)."""

    template_name = "staff/login.html"
    redirect_authenticated_user = True
    form_class = SignInForm

    def form_valid(self, form):
        user = form.get_user()
        auth_login(self.request, user)
        start_session(self.request.session)
        lockout.clear_failures(user.get_username())
        return HttpResponseRedirect(after_password(self.request, user))


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "staff/password_reset_form.html"
    email_template_name = "staff/email/password_reset_email.txt"
    subject_template_name = "staff/email/password_reset_subject.txt"
    success_url = reverse_lazy("staff:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "staff/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "staff/password_reset_confirm.html"
    success_url = reverse_lazy("staff:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "staff/password_reset_complete.html"


@login_required
def home(request):
    return render(request, "staff/home.html", {"rows": selectors.my_projects(request.user)})


@login_required
def project(request, code):
    project, access = get_project_for(request.user, code)
    targets = [{"target": t, "name": selectors.indicator_name(t.indicator)} for t in project_targets(project)]
    overview = project_overview(project, request.user)
    figures = [
        (_("Participants (whole project)") if overview["participants_whole_project"]
         else _("Participants registered by your organisation"), overview["participants"]),
        (_("Social economy structures supported"), overview["ses_supported"]),
        (_("Jobs created"), overview["jobs"]),
        (_("Jobs held by vulnerable persons"), overview["jobs_vulnerable"]),
        (_("Events held"), overview["events"]),
    ]
    return render(request, "staff/project.html", {
        "project": project,
        "role": selectors.role_label(access),
        "can_view_audit": access.can(Cap.VIEW_AUDIT),
        "can_view_reports": access.can(Cap.VIEW_REPORTS),
        "can_change_people": access.can(Cap.CHANGE_PEOPLE),
        "can_manage_project": access.can(Cap.MANAGE_PROJECT),
        "partnerships": project_partnerships(project),
        "regions": project.regions.all(),
        "targets": targets,
        "overview": overview,
        "figures": figures,
    })


@login_required
def audit(request, code):
    project, access = get_project_for(request.user, code, Cap.VIEW_AUDIT)
    entries = audit_entries_visible(request.user, project, access).order_by("-at", "-id")
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/audit.html", {
        "project": project,
        "role": selectors.role_label(access),
        "page": page,
        "rows": selectors.audit_rows(page.object_list),
        "own_organisation_only": not access.whole_project,
    })
