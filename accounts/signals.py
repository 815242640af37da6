from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import session_start


@receiver(user_logged_in)
def on_sign_in_start_the_session_clock(sender, request, user, **kwargs):
    """The overall session limit counts from here (the key was just cycled by login())."""
    if request is not None and hasattr(request, "session"):
        session_start(request.session)
