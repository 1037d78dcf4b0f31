"""Staff pages for participants; included by socec.staff.urls under the 'staff' namespace.

A person reference may hold '/', so it is matched as a path; the pages that are not a person start with
'_', which no reference may (a reference starts with a letter or a digit)."""

from django.urls import path

from . import privacy_views, views

urlpatterns: list = [
    path("p/<str:code>/participants/", views.participants, name="participants"),
    path("p/<str:code>/participants/_register/", views.participant_register, name="participant_register"),
    path("p/<str:code>/participants/_check/", views.participant_check, name="participant_check"),
    path("p/<str:code>/participants/_missing/", views.participants_missing, name="participants_missing"),
    path("p/<str:code>/participants/_retention/", privacy_views.retention, name="participants_retention"),
    path("p/<str:code>/participants/<path:ref>/edit/", views.participant_edit, name="participant_edit"),
    path("p/<str:code>/participants/<path:ref>/identifiers/", views.participant_identity,
         name="participant_identity"),
    path("p/<str:code>/participants/<path:ref>/consent/", views.participant_consent, name="participant_consent"),
    path("p/<str:code>/participants/<path:ref>/exit/", views.participant_exit, name="participant_exit"),
    path("p/<str:code>/participants/<path:ref>/follow-up/", views.participant_follow_up,
         name="participant_follow_up"),
    path("p/<str:code>/participants/<path:ref>/reveal/", views.participant_reveal, name="participant_reveal"),
    path("p/<str:code>/participants/<path:ref>/documents/", views.document_add, name="participant_document_add"),
    path("p/<str:code>/participants/<path:ref>/documents/<int:pk>/", views.document_download,
         name="participant_document"),
    path("p/<str:code>/participants/<path:ref>/documents/<int:pk>/delete/", views.document_delete,
         name="participant_document_delete"),
    path("p/<str:code>/participants/<path:ref>/export/", privacy_views.participant_export,
         name="participant_export"),
    path("p/<str:code>/participants/<path:ref>/erase/", privacy_views.participant_erase_view,
         name="participant_erase"),
    path("p/<str:code>/participants/<path:ref>/", views.participant, name="participant"),
]
