"""Query counts of each page, through Django's test client, on one database (a process per database).

    python -m bench.queries --database boundaries_bench_small [--deep /review/?page=1000]

Prints one JSON object: {page key: queries, or a string saying why it was skipped}.
"""

from __future__ import annotations

import argparse
import json


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--deep", help="the deep review page's URL, when the caller found it already")
    args = parser.parse_args()

    from .common import PASSWORD, django_setup

    django_setup(args.database, settings="bench.ceiling_settings")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from .http import SignInRefused
    from .pages import CEILING, PAGES, USERS, Site, Skip, totp_code

    setup_test_environment()  # the test client's response.context and templates, as in the tests
    clients: dict[str, Client] = {}

    def client(role: str) -> Client:
        if role not in clients:
            browser = Client()
            answer = browser.post("/sign-in/", {"username": USERS[role], "password": PASSWORD})
            if answer.status_code != 302:
                raise SignInRefused(f"{USERS[role]}: {answer.status_code}")
            if "/sign-in/code/" in answer.url:
                answer = browser.post("/sign-in/code/", {"code": totp_code(USERS[role])})
                if answer.status_code != 302:
                    raise SignInRefused(f"{USERS[role]}: code step {answer.status_code}")
            clients[role] = browser
        return clients[role]

    def fetch(role: str, path: str) -> tuple[int, str]:
        response = client(role).get(path)
        return response.status_code, response.content.decode()

    site = Site(fetch)
    if args.deep:
        site._deep = args.deep
    counts: dict[str, int | str] = {}
    for page in [*PAGES, CEILING]:
        try:
            path = page.path(site)
        except Skip as reason:
            counts[page.key] = f"skipped: {reason}"
            continue
        browser = client(page.role)
        browser.get(path)  # warm: the first request of a process fills caches a live server has
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(path)
        counts[page.key] = len(queries) if response.status_code == 200 else f"answered {response.status_code}"
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
