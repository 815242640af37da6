from django import template

register = template.Library()


@register.filter
def get_line(lines: dict, key: str) -> str:
    line = lines.get(key)
    return line.value if line is not None else ""


STATE_BADGES = {"draft": "text-bg-secondary", "scheduled": "text-bg-info", "in force": "text-bg-success",
                "superseded": "text-bg-light border"}


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "text-bg-secondary")


@register.filter
def at(items: list, index: int):
    """`{{ groups|at:forloop.counter0 }}`: a cell's column heading, for its data-label on a phone."""
    try:
        return items[index]
    except (IndexError, TypeError):
        return ""
