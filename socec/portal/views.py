from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation

from socec.orgs.models import Organisation
from socec.programmes.models import Project


def home(request):
    return render(request, "portal/home.html", {
        "public_organisations": Organisation.objects.filter(public=True).count(),
        "projects": Project.objects.count(),
    })


def language_home(request, lang):
    """`/ro/` and `/en/`: switch the language (kept in a cookie) and go to the home page."""
    translation.activate(lang)
    response = redirect("portal:home")
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response
