from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """The membership the request works in, for every template; the navigation bar itself is part of
    the memoised chrome (boundaries/chrome.py)."""
    return {"membership": getattr(request, "membership", None)}
