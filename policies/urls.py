from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("policies/", views.policy_list, name="list"),
    path("policies/new/", views.draft_new, name="new"),
    path("policies/import/", views.draft_import, name="import"),
    path("policies/compare/", views.compare, name="compare"),
    path("policies/<int:number>/", views.version_detail, name="detail"),
    path("policies/<int:number>/edit/", views.draft_edit, name="edit"),
    path("policies/<int:number>/publish/", views.draft_publish, name="publish"),
    path("policies/<int:number>/discard/", views.draft_discard, name="discard"),
    path("policies/<int:number>/export/", views.version_export, name="export"),
    path("policy/", views.policy_read, name="read"),
    path("policy/<int:number>/", views.policy_read, name="read_version"),
    path("policy/<int:number>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("policy/statement/", views.statement, name="statement"),
    path("policy/statement/receipts/", views.statement_receipt, name="statement_receipt"),
    path("policy/statement/settings/", views.statement_settings, name="statement_settings"),
]
