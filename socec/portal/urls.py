from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("ro/", views.language_home, {"lang": "ro"}, name="home_ro"),
    path("en/", views.language_home, {"lang": "en"}, name="home_en"),
]
