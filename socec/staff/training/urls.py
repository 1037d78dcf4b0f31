"""Staff pages for training; included by socec.staff.urls under the 'staff' namespace."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("p/<str:code>/courses/", views.courses, name="courses"),
    path("p/<str:code>/courses/new/", views.course_create, name="course_create"),
    path("p/<str:code>/courses/<int:pk>/", views.course, name="course"),
    path("p/<str:code>/courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("p/<str:code>/courses/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("p/<str:code>/courses/<int:pk>/enrol/", views.enrolment_create, name="enrolment_create"),
    path("p/<str:code>/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("p/<str:code>/sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("p/<str:code>/sessions/<int:pk>/attendance/<int:participation_pk>/", views.attendance_mark,
         name="attendance_mark"),
    path("p/<str:code>/enrolments/<int:pk>/decision/", views.enrolment_decide, name="enrolment_decide"),
    path("p/<str:code>/enrolments/<int:pk>/certificate/", views.certificate_issue, name="certificate_issue"),
    path("p/<str:code>/enrolments/<int:pk>/certificate.pdf", views.certificate_pdf_view, name="certificate_pdf"),
    path("p/<str:code>/counselling/", views.counselling, name="counselling"),
    path("p/<str:code>/counselling/new/", views.counselling_create, name="counselling_create"),
    path("p/<str:code>/counselling/<int:pk>/edit/", views.counselling_edit, name="counselling_edit"),
]
