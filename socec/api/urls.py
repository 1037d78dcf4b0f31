"""/api/v1/: the REST API (django-ninja), mounted by socec/urls.py."""

urlpatterns = []
