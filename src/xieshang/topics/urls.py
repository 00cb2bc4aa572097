"""Topic pages, mounted at /c/<committee code>/topics/ (see config/urls.py)."""

from django.urls import path

from . import views

app_name = "topics"

urlpatterns = [
    path("", views.index, name="index"),
    path("manage/", views.manage, name="manage"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("tags/<slug:kind>/<int:object_id>/", views.tags, name="tags"),
]
