"""Organisation pages, included by socec.staff.urls under the 'staff' namespace at organisations/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.organisations, name="organisations"),
    path("<str:code>/", views.organisation_profile, name="organisation_profile"),
    path("<str:code>/products/", views.product_add, name="organisation_product_add"),
    path("<str:code>/products/<int:pk>/", views.product_edit, name="organisation_product"),
    path("<str:code>/products/<int:pk>/delete/", views.product_delete_view, name="organisation_product_delete"),
    path("<str:code>/members/", views.member_add, name="organisation_member_add"),
    path("<str:code>/requests/", views.organisation_requests, name="organisation_requests"),
    path("<str:code>/requests/<int:pk>/answer/", views.answer, name="organisation_answer"),
]
