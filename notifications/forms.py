from django import forms

from .models import Delivery


class DeliveryForm(forms.Form):
    waiting_delivery = forms.ChoiceField(
        label="When a request waits for your decision, email me", choices=Delivery.choices,
        widget=forms.RadioSelect)
