from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search_view, name="search"),
    path("c/<slug:committee>/dictionary/", views.dictionary_view, name="dictionary"),
    path("c/<slug:committee>/dictionary/<int:pk>/remove/", views.dictionary_remove, name="dictionary_remove"),
    path("c/<slug:committee>/dictionary/sync/", views.dictionary_sync, name="dictionary_sync"),
    path("c/<slug:committee>/similar/", views.similar_panel, name="similar"),
    path("c/<slug:committee>/proposals/<int:pk>/panel/", views.proposal_panel, name="proposal_panel"),
    path("c/<slug:committee>/proposals/<int:pk>/suggestion/", views.suggestion_decide, name="suggestion_decide"),
    path("c/<slug:committee>/suggestions/accuracy/", views.suggestion_accuracy, name="suggestion_accuracy"),
]
