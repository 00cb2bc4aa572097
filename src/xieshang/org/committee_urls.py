"""Deployment-wide committee management for the system administrator, mounted at /committees/."""

from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="list"),
    path("new/", views.committee_edit, name="new"),
    path("<int:pk>/edit/", views.committee_edit, name="edit"),
]
