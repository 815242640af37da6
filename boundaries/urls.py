from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from accounts import views as accounts_views
from accounts.forms import SignInForm

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sign-in/", auth_views.LoginView.as_view(authentication_form=SignInForm,
                                                  redirect_authenticated_user=True), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(success_url=reverse_lazy("home")),
         name="password_change"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("staff/", include("accounts.urls")),
    path("agency/switch/", accounts_views.agency_switch, name="agency_switch"),
    path("join/<slug:agency>/<str:token>/", accounts_views.invitation_accept, name="invitation_accept"),
    path("", include("policies.urls")),
    path("", include("scenarios.urls")),
    path("audit/", include("audit.urls")),
    path("django-admin/", admin.site.urls),
]
