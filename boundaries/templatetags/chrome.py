"""`{% chrome "header" %}`: a part of the page chrome, memoised (boundaries/chrome.py)."""

from django import template
from django.utils.safestring import SafeString

from boundaries import chrome as page_chrome

register = template.Library()


@register.simple_tag(takes_context=True)
def chrome(context: template.Context, part: str) -> SafeString:
    return page_chrome.render(part, context.get("request"), context.get("chrome_lang") or "")
