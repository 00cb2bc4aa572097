"""Placeholder: filled in by the pages work."""

from django.urls import path  # noqa: F401

app_name = "opinions"

urlpatterns = []
