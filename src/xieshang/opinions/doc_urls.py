"""社情民意 documents at /c/<committee code>/opinions/files/: bulletin issues (.docx/.pdf) and the yearly notice."""

from django.urls import path

from . import doc_views

app_name = "opinions_doc"

urlpatterns = [
    path("bulletin/<int:pk>.docx", doc_views.bulletin_docx, name="bulletin_docx"),
    path("bulletin/<int:pk>.pdf", doc_views.bulletin_pdf, name="bulletin_pdf"),
    path("notice/<int:year>.docx", doc_views.notice_docx, name="notice_docx"),
]
