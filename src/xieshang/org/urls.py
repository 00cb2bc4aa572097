from django.urls import path, re_path

from . import views

app_name = "org"

# Sectors, special committees and liaison groups share one set of views.
STRUCTURES = "|".join(views.STRUCTURES)

urlpatterns = [
    path("", views.home, name="home"),
    path("terms/", views.term_list, name="term_list"),
    path("terms/new/", views.term_edit, name="term_new"),
    path("terms/<int:pk>/edit/", views.term_edit, name="term_edit"),
    path("terms/<int:pk>/current/", views.term_set_current, name="term_set_current"),
    path("terms/<int:term_pk>/sessions/new/", views.session_edit, name="session_new"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    re_path(rf"^(?P<kind>{STRUCTURES})/$", views.structure_list, name="structure_list"),
    re_path(rf"^(?P<kind>{STRUCTURES})/new/$", views.structure_edit, name="structure_new"),
    re_path(rf"^(?P<kind>{STRUCTURES})/(?P<pk>[0-9]+)/edit/$", views.structure_edit, name="structure_edit"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_edit, name="member_new"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/account/", views.member_account, name="member_account"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_edit, name="department_new"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("departments/<int:pk>/staff/add/", views.staff_add, name="staff_add"),
    path("staff/<int:pk>/remove/", views.staff_remove, name="staff_remove"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("settings/", views.committee_settings, name="settings"),
    path("import/<slug:kind>/", views.import_upload, name="import_upload"),
    path("import/<slug:kind>/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/resolve/", views.import_resolve, name="import_resolve"),
]

# 特邀信息员 (appointed informants), see informant_views.py
from . import informant_views  # noqa: E402

urlpatterns += [
    path("informants/", informant_views.informant_list, name="informant_list"),
    path("informants/new/", informant_views.informant_edit, name="informant_new"),
    path("informants/<int:pk>/edit/", informant_views.informant_edit, name="informant_edit"),
    path("informants/<int:pk>/account/", informant_views.informant_account, name="informant_account"),
]
