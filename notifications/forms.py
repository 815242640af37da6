from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery


class DeliveryForm(forms.Form):
    waiting_delivery = forms.ChoiceField(
        label=_("When a request waits for your decision, email me"), choices=Delivery.choices,
        widget=forms.RadioSelect)
