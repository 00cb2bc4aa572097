from django.urls import path

from . import stats_views

app_name = "proposal_stats"

urlpatterns = [
    path("", stats_views.stats_page, name="index"),
    path("export.xlsx", stats_views.stats_export, name="export"),
]
