from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("ro/", views.language_home, {"lang": "ro"}, name="home_ro"),
    path("en/", views.language_home, {"lang": "en"}, name="home_en"),
    # The directory, map, enterprise profiles, reserved contracts, organisations open data.
    path("", include("socec.portal.directory.urls")),
    # Events calendar, publications library, impact figures, impact open data.
    path("", include("socec.portal.activities.urls")),
]
