from django.urls import path

from . import views

# Included by socec.portal.urls with no prefix, inside the `portal` namespace.
urlpatterns = [
    path("enterprises/", views.directory, name="directory"),
    path("enterprises/<str:code>/", views.enterprise, name="enterprise"),
    path("enterprises/<str:code>/contact/", views.enterprise_contact, name="enterprise_contact"),
    path("map/", views.county_map_view, name="map"),
    path("reserved-contracts/", views.reserved_contracts, name="reserved"),
    path("open-data/organisations.csv", views.open_data_organisations_csv, name="open_data_organisations_csv"),
    path("open-data/organisations.json", views.open_data_organisations_json, name="open_data_organisations_json"),
]
