"""Proposal pages, mounted at /c/<committee code>/proposals/ (see config/urls.py)."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.register, name="register"),
    path("batch/", views.batch, name="batch"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.proposal_new, name="new"),
    path("assignments/", views.my_assignments, name="my_assignments"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/do/<slug:op>/", views.op_view, name="op"),
    path("<int:pk>/attachments/<int:attachment>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment>/remove/", views.attachment_remove, name="attachment_remove"),
]
