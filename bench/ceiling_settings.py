"""The ceiling's server: the app's own settings (middleware, sessions, database), with bench/ceiling_urls.py.

Served by `make bench` beside the app, with the same environment and as many gunicorn workers, so a
page's throughput divided by the ceiling's is what the page costs beyond Django itself.
"""

from boundaries.settings import *  # noqa: F401,F403 -- the same settings, middleware included
from boundaries.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.ceiling_urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
