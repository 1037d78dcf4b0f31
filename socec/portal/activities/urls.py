"""The public events calendar, the caravan's route, the publications library, the impact figures and
the impact open data (inside the `portal` namespace, no prefix)."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/caravan/", views.caravan, name="caravan"),
    path("events/<str:project_code>/<str:event_code>/", views.event, name="event"),
    path("publications/", views.publications, name="publications"),
    path("publications/<str:project_code>/<str:code>/file", views.publication_file, name="publication_file"),
    path("impact/", views.impact, name="impact"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/impact.csv", views.open_data_impact_csv, name="open_data_impact_csv"),
    path("open-data/impact.json", views.open_data_impact_json, name="open_data_impact_json"),
]
