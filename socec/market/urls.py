"""Public pages of buyers, investors and mentors, mounted at /requests/."""

from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("", views.requests, name="requests"),
    path("new/", views.request_new, name="request_new"),
    path("<int:pk>/", views.request_detail, name="request"),
    path("<int:pk>/manage/<str:token>/", views.request_manage, name="request_manage"),
]
