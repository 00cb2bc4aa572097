from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:committee>/proposals/", views.proposal_list, name="proposal_list"),
    path("<slug:committee>/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
]
