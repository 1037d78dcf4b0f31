from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    # The organisations a user speaks for: public profile, products, requests from buyers and mentors.
    path("organisations/", include("socec.staff.organisation.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("p/<str:code>/", views.project, name="project"),
    path("p/<str:code>/audit/", views.audit, name="audit"),
    path("", include("socec.staff.participants.urls")),
    path("", include("socec.staff.training.urls")),
    path("", include("socec.staff.enterprises.urls")),
    path("", include("socec.staff.outreach.urls")),
    path("", include("socec.workbook.urls")),
    path("", include("socec.indicators.urls")),
]
