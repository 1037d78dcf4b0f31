"""Staff pages for enterprises and jobs; included by socec.staff.urls under the 'staff' namespace.

Pages that are not one enterprise's sit outside p/<code>/enterprises/<org_code>/, so that no
organisation code can hide them."""

from django.urls import path

from . import views

urlpatterns = [
    path("p/<str:code>/enterprises/", views.enterprises, name="enterprises"),
    path("p/<str:code>/enterprise-add/", views.enterprise_add_view, name="enterprise_add"),
    path("p/<str:code>/enterprise-reminders/", views.enterprise_reminders, name="enterprise_reminders"),
    path("p/<str:code>/jobs-sustainability/", views.jobs_sustainability, name="jobs_sustainability"),
    path("p/<str:code>/enterprises/<str:org_code>/", views.enterprise, name="enterprise"),
    path("p/<str:code>/enterprises/<str:org_code>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("p/<str:code>/enterprises/<str:org_code>/grants/", views.enterprise_grants, name="enterprise_grants"),
    path("p/<str:code>/enterprises/<str:org_code>/products/", views.enterprise_products,
         name="enterprise_products"),
    path("p/<str:code>/enterprises/<str:org_code>/jobs/", views.enterprise_jobs, name="enterprise_jobs"),
    path("p/<str:code>/enterprises/<str:org_code>/jobs/<str:job_code>/", views.job, name="job"),
    path("p/<str:code>/enterprises/<str:org_code>/jobs/<str:job_code>/employments/<int:pk>/leave/",
         views.employment_leave_view, name="employment_leave"),
]
