from django.urls import path

from . import dashboard_views, views, whatif_views

app_name = "scenarios"

urlpatterns = [
    path("requests/", views.request_list, name="list"),
    path("requests/new/", views.request_log, name="log"),
    path("requests/before/", views.request_before, name="before"),
    path("requests/<int:pk>/", views.request_detail, name="detail"),
    path("requests/<int:pk>/choose/", views.request_choose, name="choose"),
    path("requests/<int:pk>/steps/<slug:key>/", views.request_step, name="step"),
    path("requests/<int:pk>/phases/<slug:phase>/", views.request_phase, name="phase"),
    path("requests/<int:pk>/close/", views.request_close, name="close"),
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_decide, name="review_decide"),
    path("policies/<int:number>/what-if/", whatif_views.policy_whatif, name="whatif"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/<slug:chart>.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
]
