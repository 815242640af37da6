from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("training/", views.training_list, name="list"),
    path("training/team/", views.training_team, name="team"),
    path("training/team/<int:pk>/", views.training_member, name="member"),
    path("training/scenarios/", views.scenario_list, name="scenarios"),
    path("training/scenarios/new/", views.scenario_new, name="scenario_new"),
    path("training/scenarios/<int:pk>/edit/", views.scenario_edit, name="scenario_edit"),
    path("training/scenarios/<int:pk>/retire/", views.scenario_retire, name="scenario_retire"),
    path("training/<slug:key>/", views.training_scenario, name="scenario"),
]
