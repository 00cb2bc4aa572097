from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("import/", views.document_import, name="import"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/delete/", views.document_delete, name="delete"),
]
