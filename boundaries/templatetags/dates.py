"""`{{ value|day }}` and `{{ value|moment }}`: the one date and the one date-and-time format."""

from __future__ import annotations

from django import template

from boundaries import dates

register = template.Library()
register.filter("day", dates.show_day)
register.filter("moment", dates.show_moment)
