"""`{{ value|day }}` and `{{ value|moment }}`: the one date and the one date-and-time format;
`{{ value|iso_moment }}` for machine-readable `<time datetime>` attributes."""

from __future__ import annotations

from django import template

from boundaries import dates

register = template.Library()
register.filter("day", dates.show_day)
register.filter("moment", dates.show_moment)
register.filter("iso_moment", dates.iso_moment)
