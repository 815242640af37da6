from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from accounts import views as accounts_views
from api import pages as api_pages

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sign-in/", accounts_views.SignInView.as_view(), name="login"),
    path("sign-in/code/", accounts_views.sign_in_code, name="sign_in_code"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/status/", accounts_views.session_status, name="session_status"),
    path("session/keep-alive/", accounts_views.session_keepalive, name="session_keepalive"),
    path("account/", accounts_views.account, name="account"),
    path("account/api-tokens/", api_pages.token_list, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", api_pages.token_revoke, name="api_token_revoke"),
    path("account/two-factor/", accounts_views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/recovery-codes/", accounts_views.recovery_codes_renew, name="recovery_codes_renew"),
    path("account/two-factor/turn-off/", accounts_views.two_factor_disable, name="two_factor_disable"),
    path("password/change/", views.PasswordChangeView.as_view(success_url=reverse_lazy("home")),
         name="password_change"),
    path("password/reset/", accounts_views.PasswordResetView.as_view(), name="password_reset"),
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
    path("", include("training.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("api.urls")),
    # The Django admin signs in through our own page: the same lockout and the same code step.
    path("django-admin/login/", RedirectView.as_view(pattern_name="login", query_string=True), name="admin_sign_in"),
    path("django-admin/", admin.site.urls),
]

# Under /api/ a missing page or a crash is a problem+json document, never an HTML page.
handler404 = "api.errors.not_found"
handler500 = "api.errors.server_error"
