from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("evaluate", views.EvaluateView.as_view(), name="evaluate"),
    path("requests", views.RequestListView.as_view(), name="requests"),
    path("requests/<int:pk>", views.RequestDetailView.as_view(), name="request"),
    path("requests/<int:pk>/close", views.RequestCloseView.as_view(), name="request_close"),
    path("policy", views.PolicyView.as_view(), name="policy"),
    path("policy/versions", views.PolicyVersionListView.as_view(), name="policy_versions"),
    path("policy/versions/<int:number>", views.PolicyVersionDetailView.as_view(), name="policy_version"),
    path("audit/events", views.AuditEventsView.as_view(), name="audit_events"),
    path("audit/head", views.AuditHeadView.as_view(), name="audit_head"),
    path("openapi.json", views.SchemaView.as_view(), name="schema"),
    path("docs", views.reference, name="docs"),
]
