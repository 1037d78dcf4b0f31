"""Staff pages for outreach; included by socec.staff.urls under the 'staff' namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("p/<str:code>/events/", views.events, name="events"),
    path("p/<str:code>/events/+new/", views.event_new, name="event_new"),
    path("p/<str:code>/events/<str:event_code>/", views.event, name="event"),
    path("p/<str:code>/events/<str:event_code>/edit/", views.event_edit, name="event_edit"),
    path("p/<str:code>/events/<str:event_code>/attendance/", views.event_attendance_add,
         name="event_attendance_add"),
    path("p/<str:code>/events/<str:event_code>/attendance/<int:pk>/remove/", views.event_attendance_remove,
         name="event_attendance_remove"),
    path("p/<str:code>/events/<str:event_code>/photos/", views.event_photo_add, name="event_photo_add"),
    path("p/<str:code>/events/<str:event_code>/photos/<int:pk>/", views.event_photo, name="event_photo"),
    path("p/<str:code>/events/<str:event_code>/photos/<int:pk>/remove/", views.event_photo_delete,
         name="event_photo_delete"),
    path("p/<str:code>/localities/", views.localities, name="outreach_localities"),
    path("p/<str:code>/caravan/", views.caravan, name="caravan"),
    path("p/<str:code>/campaigns/", views.campaigns, name="campaigns"),
    path("p/<str:code>/campaigns/+new/", views.campaign_new, name="campaign_new"),
    path("p/<str:code>/campaigns/<str:campaign_code>/edit/", views.campaign_edit, name="campaign_edit"),
    path("p/<str:code>/publications/", views.publications, name="publications"),
    path("p/<str:code>/publications/+new/", views.publication_new, name="publication_new"),
    path("p/<str:code>/publications/<str:publication_code>/edit/", views.publication_edit,
         name="publication_edit"),
    path("p/<str:code>/publications/<str:publication_code>/file/", views.publication_file,
         name="publication_file"),
]
