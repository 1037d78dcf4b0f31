"""Sign-in security pages (two-factor authentication, password change), mounted under /staff/account/."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.enrol, name="enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
