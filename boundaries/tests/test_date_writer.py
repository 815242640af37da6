"""The compiled date formats write exactly what Django's date_format writes, in every language we offer."""

import datetime as dt

from django.conf import settings
from django.utils import dateformat, formats, timezone, translation
from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

from boundaries.date_writer import writer
from boundaries.dates import show_day, show_moment

# Every character the writer has a fast form for, each with literal text and an escaped letter.
KNOWN = r"d j D l m n M b F E N Y y H G i s A a"
SOME_FALLBACKS = r"P e O T U w z L t"  # handed to Django one at a time
LANGUAGES = [code for code, _ in settings.LANGUAGES]


@hypothesis_settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31),
                           timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=-5))])),
       language=st.sampled_from(LANGUAGES))
def test_every_format_character_is_written_as_django_writes_it(moment, language):
    with translation.override(language):
        for format_string in (KNOWN, SOME_FALLBACKS, r"j \d\e F \d\e Y \a \l\a\s H:i", "j M Y, H:i"):
            assert writer(format_string, language)(moment) == dateformat.format(moment, format_string)


def test_the_pages_formats_are_djangos_in_each_language():
    moment = dt.datetime(2026, 3, 5, 14, 7, tzinfo=dt.timezone.utc)
    for language in LANGUAGES:
        with translation.override(language):
            local = timezone.localtime(moment)
            assert show_moment(moment) == formats.date_format(local, "DATETIME_FORMAT")
            assert show_day(moment.date()) == formats.date_format(moment.date(), "DATE_FORMAT")
    with translation.override("es"):
        assert show_day(dt.date(2026, 3, 5)) == "5 de marzo de 2026"
    with translation.override("en"):
        assert show_day(dt.date(2026, 3, 5)) == "5 Mar 2026"
