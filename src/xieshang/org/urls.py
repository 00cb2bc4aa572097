from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.home, name="home"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
]
