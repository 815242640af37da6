from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("add/", views.staff_add, name="staff_add"),
    path("<int:pk>/role/", views.staff_role, name="staff_role"),
    path("<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("<int:pk>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("invitations/<int:pk>/cancel/", views.invitation_cancel, name="invitation_cancel"),
]

urlpatterns += [
    path("security/", views.agency_security, name="agency_security"),
    path("settings/", views.agency_settings, name="agency_settings"),
]
