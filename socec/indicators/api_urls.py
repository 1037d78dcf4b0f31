"""The indicators' part of /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("projects/<str:code>/report", api.report, name="api_report"),
    path("projects/<str:code>/report/<str:indicator>/records", api.records, name="api_report_records"),
]
