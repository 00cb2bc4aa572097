"""Proposal documents, the register export and the historical import, at /c/<committee code>/proposals/files/."""

from django.urls import path

from . import doc_views

app_name = "proposal_files"

urlpatterns = [
    path("reply/<int:pk>.<str:fmt>", doc_views.reply_document, name="reply"),
    path("opinion/<int:pk>.<str:fmt>", doc_views.opinion_document, name="opinion"),
    path("register.xlsx", doc_views.register_export, name="register_export"),
    path("import/", doc_views.import_page, name="import"),
    path("import/template.xlsx", doc_views.import_template, name="import_template"),
]
