from django.urls import path

from . import calendar_views, views

app_name = "core"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/group/<uuid:group_id>/", views.audit_group, name="audit_group"),
    path("audit/export.<str:fmt>", views.audit_export, name="audit_export"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/days/add/", calendar_views.day_add, name="calendar_day_add"),
    path("calendar/days/<int:pk>/", calendar_views.day_change, name="calendar_day_change"),
    path("calendar/days/<int:pk>/delete/", calendar_views.day_delete, name="calendar_day_delete"),
    path("calendar/years/mark-loaded/", calendar_views.year_mark_loaded, name="calendar_year_mark_loaded"),
    path("calendar/import/", calendar_views.import_schedule, name="calendar_import"),
    path("calendar/import/template.xlsx", calendar_views.import_template, name="calendar_import_template"),
    path("calendar/calculate/", calendar_views.calculate, name="calendar_calculate"),
]
