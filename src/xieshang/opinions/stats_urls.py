"""社情民意 statistics, at /c/<committee code>/opinions/stats/ (``?year=``) and its Excel export."""

from django.urls import path

from . import stats_views

app_name = "opinions_stats"

urlpatterns = [
    path("", stats_views.stats_page, name="index"),
    path("export.xlsx", stats_views.stats_export, name="xlsx"),
]
