"""The workbook's staff pages, included in the staff URLs (names in the `staff` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("workbook/", views.upload, name="workbook_upload"),
    path("workbook/template.xlsx", views.template, name="workbook_template"),
    path("workbook/<int:pk>/", views.run_detail, name="workbook_run"),
    path("workbook/<int:pk>/progress/", views.run_progress, name="workbook_progress"),
    path("workbook/<int:pk>/import/", views.run_confirm, name="workbook_confirm"),
    path("workbook/<int:pk>/retry/", views.run_retry, name="workbook_retry"),
    path("workbook/<int:pk>/errors.csv", views.run_errors_csv, name="workbook_errors"),
    path("p/<str:code>/workbook/", views.project_workbook, name="workbook_project"),
    path("p/<str:code>/workbook/export.xlsx", views.export, {"fmt": "xlsx"}, name="workbook_export_xlsx"),
    path("p/<str:code>/workbook/export.zip", views.export, {"fmt": "zip"}, name="workbook_export_zip"),
]
