"""社情民意 pages, mounted at /c/<committee code>/opinions/ (see config/urls.py and views.py)."""

from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.report_new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("reports/", views.report_list, name="list"),
    path("sign/", views.sign_queue, name="sign_queue"),
    path("reports/<int:pk>/", views.detail, name="detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="edit"),
    path("reports/<int:pk>/do/<slug:op>/", views.report_op, name="report_op"),
    path("reports/<int:pk>/attachments/<int:attachment>/", views.attachment_download, name="attachment"),
    path("copies/<int:pk>/", views.copy_view, name="copy"),
    path("copies/<int:pk>/do/<slug:op>/", views.copy_op, name="copy_op"),
    path("copies/<int:pk>/versions/", views.versions, name="versions"),
    path("copies/<int:pk>/versions/<int:number>/", views.compare, name="compare"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/", views.follow_up, name="follow_up"),
    path("follow-ups/<int:pk>/do/<slug:op>/", views.follow_up_op, name="follow_up_op"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin, name="bulletin"),
    path("bulletins/<int:pk>/do/<slug:op>/", views.bulletin_op, name="bulletin_op"),
]
