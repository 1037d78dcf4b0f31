"""Sign-in security pages: the second step of signing in, setting up the authenticator app,
recovery codes, the account page and the password change."""

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import lockout, otp, services
from .forms import CodeForm, EnrolForm, locked_message


def safe_next(request, default: str | None = None) -> str:
    """The page to go to after this step: ?next= (or the form's next) when it is on this site."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("staff:home") if default is None else default


def with_next(url: str, next_url: str) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


def after_password(request, user) -> str:
    """Where the staff sign-in goes once the password is right: the second step when the user needs one."""
    next_url = safe_next(request, "")
    if otp.needs_second_factor(user):
        return with_next(reverse("accounts:verify"), next_url)
    return next_url or reverse("staff:home")


def _passed(request, user) -> None:
    request.session.cycle_key()  # a new session id once the second factor is passed
    otp.mark_verified(request.session, user)
    lockout.clear_failures(user.get_username())


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = request.user
    if not user.is_authenticated:
        return redirect(with_next(reverse("staff:login"), safe_next(request, "")))
    next_url = safe_next(request)
    if otp.session_verified(request):
        return redirect(next_url)
    if not otp.enrolled(user):
        return redirect(with_next(reverse("accounts:enrol"), next_url))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = lockout.client_ip(request)
        username = user.get_username()
        if lockout.is_locked(username, ip):
            form.is_valid()
            form.add_error(None, locked_message())
            status = 429
        elif form.is_valid():
            method = services.two_factor_check(user=user, code=form.cleaned_data["code"])
            if method is not None:
                _passed(request, user)
                if method == "recovery":
                    left = services.recovery_codes_left(user)
                    messages.warning(request, _(
                        "You signed in with a recovery code; it cannot be used again. %(left)s codes are left: "
                        "make new ones on your account page if you are running out.") % {"left": left})
                return redirect(next_url)
            locked = lockout.record_failure(username, ip)
            services.signin_failed(username=username, step="code", locked=locked)
            if locked:
                form.add_error(None, locked_message())
                status = 429
            else:
                form.add_error("code", _("This code is not valid, or was already used. Type the code the app shows "
                                         "now (it changes every 30 seconds), or a recovery code you have not used."))
                status = 400
        else:
            status = 400
    return render(request, "accounts/verify.html", {"form": form, "next": next_url}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Setting up the authenticator app: the key as text and as a QR code, then one code to confirm."""
    user = request.user
    if not user.is_authenticated:
        return redirect(with_next(reverse("staff:login"), safe_next(request, "")))
    next_url = safe_next(request)
    if otp.enrolled(user):
        if otp.session_verified(request):
            messages.info(request, _("Two-factor authentication is already set up for your account."))
            return redirect("accounts:account")
        return redirect(with_next(reverse("accounts:verify"), next_url))
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_confirm(user=user, code=form.cleaned_data["code"], by=user)
        except ValidationError as exc:
            form.add_error("code", exc)
            status = 400
        else:
            _passed(request, user)
            return render(request, "accounts/recovery_codes.html", {
                "codes": codes, "next": next_url, "first_time": True})
    elif request.method == "POST":
        status = 400
    pending = services.two_factor_pending(user) or services.two_factor_begin(user=user, by=user)
    uri = otp.provisioning_uri(pending.secret, user.get_username())
    return render(request, "accounts/enrol.html", {
        "form": form,
        "next": next_url,
        "secret_groups": [pending.secret[i:i + 4] for i in range(0, len(pending.secret), 4)],
        "qr_svg": otp.qr_svg(uri),
        "required": otp.two_factor_required(user),
    }, status=status)


@login_required
@never_cache
def account(request):
    user = request.user
    return render(request, "accounts/account.html", {
        "enrolled": otp.enrolled(user),
        "required": otp.two_factor_required(user),
        "codes_left": services.recovery_codes_left(user),
    })


@login_required
@require_POST
def recovery_codes(request):
    try:
        codes = services.recovery_codes_renew(user=request.user, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:account")})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password (Django's form, the password rules of settings). Every session of the
    user ends, this one too: the user signs in again with the new password."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("staff:login")

    def form_valid(self, form):
        user = form.save()
        services.password_changed(user=user)
        logout(self.request)
        messages.success(self.request, _("Your password was changed. Sign in with the new password."))
        return redirect(self.success_url)
