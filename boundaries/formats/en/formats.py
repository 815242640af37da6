# The product's one way of writing dates in English (Django's own "en" formats otherwise apply,
# and they mix "N j, Y" with "P" and "a.m."): the day first, the month as a short word, 24-hour time.
DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
