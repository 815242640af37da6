from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict, key: str):
    """`{{ errors|lookup:step.key }}`: a dictionary value by a variable key."""
    return mapping.get(key) if mapping else None
