from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("audit/", views.audit_log, name="audit"),
    path("calendar/", views.calendar_view, name="calendar"),
]
