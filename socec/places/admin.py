from django.contrib import admin

from socec.core.admin import ReadOnlyAdmin

from .models import County, Locality, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(County)
class CountyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region", "jud"]
    list_filter = ["region"]


@admin.register(Locality)
class LocalityAdmin(ReadOnlyAdmin):
    list_display = ["siruta", "name", "county", "level", "area"]
    list_filter = ["level", "area", "county"]
    search_fields = ["name", "=siruta"]
