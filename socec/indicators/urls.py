"""The indicators' staff pages, included in the staff URLs (names in the `staff` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.overview, name="report_overview"),
    path("p/<str:code>/report/", views.dashboard, name="report"),
    path("p/<str:code>/report/<str:indicator>/records/", views.behind, name="report_behind"),
    *[path(f"p/<str:code>/report.{fmt}", views.download, {"fmt": fmt}, name=f"report_{fmt}")
      for fmt in ("json", "csv", "xlsx", "pdf")],
    path("p/<str:code>/report/snapshots/", views.snapshot_create, name="report_snapshot_create"),
    path("p/<str:code>/report/snapshots/<int:pk>/", views.snapshot_detail, name="report_snapshot"),
]
