"""What a client reference or a request's context must not hold: simple, documented heuristics.

Plain Python (no Django), so the rules can be read and tested on their own. The minimum
necessary (HIPAA Privacy Rule 45 CFR 164.502(b)) means a record keeps a case number or initials
and a few words of context, never a way to reach or identify the person, nor a diagnosis.

- An email address or a phone number is refused in both fields: there is no case for keeping one.
- A name or a diagnosis in the context is only *suspected*: the words are shown back to the
  practitioner, who edits them or confirms that they hold neither. Capitalised words and a short
  list of terms can't tell "Riverside" from "Smith", so a warning, not a refusal.

docs/requests.md lists the rules with examples; scenarios/tests/test_privacy.py tests each kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# A phone number as people write one: 7 to 15 digits, with a leading "+", a bracketed area code,
# or in two to five groups split by single spaces, dots or hyphens ("555-0134", "06 12 34 56 78").
# A bare run of digits is not called a phone number, because many case numbers are just that.
_PHONE = re.compile(
    r"(?<![\w+-])"
    r"(?:\+\d[\d\s().-]*\d"
    r"|\(\d{2,5}\)\s?\d[\d\s.-]*\d"
    r"|\d{2,8}(?:[\s.-]\d{2,8}){1,4})"
    r"(?![\w-])"
)
# Shapes of digits that are dates, spans of years or numbers filed by year, not phone numbers.
_NOT_PHONE = re.compile(
    r"\d{4}[./-]\d{1,2}[./-]\d{1,2}"  # 2026-03-14
    r"|\d{1,2}[./\s-]\d{1,2}[./\s-]\d{2,4}"  # 14.03.2026, 3/14/26, 14 03 2026
    r"|(?:19|20)\d\d[./-]\d+"  # 2019-2020, 2024-00123
)
PHONE_DIGITS = range(7, 16)

# Diagnoses and conditions a practitioner might jot down. Matched as whole words, ignoring case,
# except the short upper-case abbreviations, which must be written in capitals ("aids" is not
# "AIDS"). The list is deliberately short: it catches the common slips, not every condition.
DIAGNOSIS_TERMS = (
    "diagnosed", "diagnosis", "autism", "autistic", "asperger", "down syndrome", "cerebral palsy",
    "spina bifida", "cystic fibrosis", "muscular dystrophy", "epilepsy", "epileptic", "seizure disorder",
    "developmental delay", "global delay", "speech delay", "hearing loss", "fetal alcohol",
    "depression", "depressed", "bipolar", "schizophrenia", "schizophrenic", "psychosis", "psychotic",
    "anxiety disorder", "panic disorder", "personality disorder", "eating disorder", "anorexia", "bulimia",
    "dementia", "alzheimer", "cancer", "leukemia", "leukaemia", "tumour", "tumor", "diabetes", "diabetic",
    "addiction", "addicted", "alcoholism", "alcoholic", "overdose", "self-harm", "suicidal",
)
DIAGNOSIS_ABBREVIATIONS = ("ASD", "ADHD", "PTSD", "OCD", "FASD", "HIV", "AIDS")
_DIAGNOSIS = re.compile(r"\b(?:" + "|".join(re.escape(term) for term in DIAGNOSIS_TERMS) + r")(?:'?s)?\b",
                        re.IGNORECASE)
_DIAGNOSIS_ABBREVIATION = re.compile(r"\b(?:" + "|".join(DIAGNOSIS_ABBREVIATIONS) + r")\b")

# Capitalised words that are not names: days, months, platforms, family words, the little words
# that start a sentence, and the like. They are compared in lower case.
NOT_NAMES = frozenset("""
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    january february march april may june july august september october november december
    facebook instagram linkedin tiktok twitter x snapchat whatsapp signal telegram messenger youtube
    pinterest reddit discord threads bluesky mastodon teams zoom skype facetime imessage sms email
    i i'm i've i'd we mum mom dad mother father parent parents grandma grandpa grandmother grandfather
    nan nana gran granny aunt uncle sister brother son daughter baby child carer foster guardian
    ok okay hi hello dear thanks please no yes not down
    the a an and but or so then when after before since while as at on in to from with by of for about
    this that these those she he they her his their it its we our you your my there here what who how why
    english spanish french arabic asl
""".split())
_HONORIFIC_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z][\w'-]*")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Za-z]+)*\b")
_SENTENCE_END = re.compile(r"[.!?\n]\s*$")


@dataclass(frozen=True)
class Finding:
    """One suspicious piece of text: what kind it is and the words that raised it."""

    kind: str  # "email", "phone", "name" or "diagnosis"
    text: str


def find_emails(text: str) -> list[str]:
    return EMAIL.findall(text)


def find_phones(text: str) -> list[str]:
    found = []
    for match in _PHONE.finditer(text):
        candidate = match.group().strip()
        digits = sum(ch.isdigit() for ch in candidate)
        if digits in PHONE_DIGITS and not _NOT_PHONE.fullmatch(candidate):
            found.append(candidate)
    return found


def find_diagnoses(text: str) -> list[str]:
    found = _DIAGNOSIS.findall(text) + _DIAGNOSIS_ABBREVIATION.findall(text)
    return list(dict.fromkeys(found))


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start]
    return not before.strip() or bool(_SENTENCE_END.search(before))


def _is_known_word(word: str) -> bool:
    word = word.lower()
    return word in NOT_NAMES or word.removesuffix("'s") in NOT_NAMES


def find_names(text: str) -> list[str]:
    """Words that read like a person's name.

    A title and a word ("Mrs Lopez"); two capitalised words in a row ("Jennifer Smith"); a
    capitalised word inside a sentence ("parent of Jennifer"); or a capitalised possessive
    anywhere ("Jennifer's mother"). Days, months, platforms and family words don't count.
    """
    found = _HONORIFIC_NAME.findall(text)
    words = [match for match in _CAPITALISED.finditer(text) if not _is_known_word(match.group())]
    for index, match in enumerate(words):
        word = match.group()
        following = words[index + 1] if index + 1 < len(words) else None
        if following is not None and text[match.end():following.start()] == " ":
            found.append(f"{word} {following.group()}")
        elif not _starts_sentence(text, match.start()) or word.endswith("'s"):
            found.append(word)
    return [name for name in dict.fromkeys(found) if not any(name != other and name in other for other in found)]


def contact_details(text: str) -> list[Finding]:
    """Ways to reach someone (refused in a reference and in a context): emails and phone numbers."""
    return ([Finding("email", value) for value in find_emails(text)]
            + [Finding("phone", value) for value in find_phones(text)])


def identifying_words(text: str) -> list[Finding]:
    """Words that may name the person or their condition (a warning before saving a context)."""
    diagnoses = find_diagnoses(text)
    # "Down syndrome" or "Alzheimer's" is reported once, as a diagnosis, not also as a name.
    names = [name for name in find_names(text)
             if not any(name.lower() in term.lower() or term.lower() in name.lower() for term in diagnoses)]
    return [Finding("name", value) for value in names] + [Finding("diagnosis", value) for value in diagnoses]
