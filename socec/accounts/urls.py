"""Sign-in security pages (two-factor authentication), mounted under /staff/account/."""

app_name = "accounts"
urlpatterns = []
