from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .middleware import session_start
from .models import Membership, User, staff_changed

# What the staff lists show of a person (boundaries/filter_forms.staff_choices).
STAFF_LIST_FIELDS = frozenset({"full_name", "email"})


@receiver(user_logged_in)
def on_sign_in_start_the_session_clock(sender, request, user, **kwargs):
    """The overall session limit counts from here (the key was just cycled by login())."""
    if request is not None and hasattr(request, "session"):
        session_start(request.session)


@receiver(post_save, sender=Membership)
def on_joining_the_staff_lists_are_read_again(sender, instance, created, **kwargs):
    if created:
        staff_changed([instance.agency_id])


@receiver(post_delete, sender=Membership)
def on_leaving_the_staff_lists_are_read_again(sender, instance, **kwargs):
    staff_changed([instance.agency_id])


@receiver(post_save, sender=User)
def on_a_new_name_the_staff_lists_are_read_again(sender, instance, created, update_fields, **kwargs):
    """A save that names its fields moves the lists only when it changed what they show (signing in
    saves `last_login` alone); a whole-row save always does. A new user belongs to no agency yet."""
    if created or (update_fields is not None and not STAFF_LIST_FIELDS & set(update_fields)):
        return
    staff_changed(Membership.objects.filter(user=instance).values("agency_id"))
