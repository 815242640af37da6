"""Whose code the guidance cites: each profession's own code first, the general references only where it is silent.

The guidance is written against general references (mostly NASW and ACA, see citations.py). Each of
them speaks to one *point* (dual relationships, ties on social networks, technology for work, what
clients can see online, looking clients up, supervision, private life). For a practitioner of a
known profession, every general reference is replaced by what their own code says on that point.
Where their code has no section on the point, the guidance cites the code by name, says it speaks
only generally there, and keeps the general reference, marked as such.

Every section cited here was checked against the code's text; docs/engine.md lists them with what
each says in our words. A code can also be stricter than the agency's policy (`stricter_code`):
then, for this practitioner, the option is not allowed, whatever the policy says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from enum import StrEnum
from types import MappingProxyType

from .citations import CITATIONS, Citation
from .facts import Facts, Profession
from .guidance import Guidance, OptionGuidance, Reason
from .track import Track
from .vocabulary import Platform, PlatformGroup, Relationship, group_of


class Point(StrEnum):
    DUAL = "dual"  # dual or multiple relationships
    NETWORK = "network"  # personal ties with clients on social networks
    TECH = "tech"  # technology is for the work
    PRESENCE = "presence"  # what clients can see of you online; confidentiality in posts
    SEARCHING = "searching"  # looking clients up online
    SUPERVISION = "supervision"  # supervisors and supervisees
    PRIVATE_LIFE = "private_life"  # private conduct and professional duties


# The point each general reference speaks to; a key not listed here (HIPAA) applies to everyone as it is.
POINT_OF: Mapping[str, Point] = MappingProxyType(
    {
        "nasw_1_06_c": Point.DUAL,
        "apa_3_05": Point.DUAL,
        "aamft_1_3": Point.DUAL,
        "nasw_1_06_h": Point.NETWORK,
        "aca_a_5_e": Point.NETWORK,
        "nasw_1_06_e": Point.TECH,
        "aca_h_2_a": Point.TECH,
        "nasw_1_06_fg": Point.PRESENCE,
        "aca_h_6": Point.PRESENCE,
        "tech_standards": Point.PRESENCE,
        "nursing_social_media": Point.PRESENCE,
        "ama_social_media": Point.PRESENCE,
        "nasw_1_07_aq": Point.SEARCHING,
        "nasw_3_01_c": Point.SUPERVISION,
        "nasw_4_03": Point.PRIVATE_LIFE,
    }
)

_ACA = "ACA Code of Ethics (2014)"
_APTA = "APTA Code of Ethics for the Physical Therapist"

# Each profession's own code, named as the guidance page introduces it.
OWN_CODE: Mapping[Profession, str] = MappingProxyType(
    {
        Profession.SOCIAL_WORKER: "the NASW Code of Ethics",
        Profession.COUNSELOR: "the ACA Code of Ethics (2014)",
        Profession.MARRIAGE_FAMILY_THERAPIST: "the AAMFT Code of Ethics (2015)",
        Profession.PSYCHOLOGIST: "the APA Ethical Principles of Psychologists and Code of Conduct",
        Profession.NURSE: "the ANA Code of Ethics for Nurses and the NCSBN's guide to social media",
        Profession.OCCUPATIONAL_THERAPIST: "the AOTA Occupational Therapy Code of Ethics (2020)",
        Profession.SPEECH_LANGUAGE_PATHOLOGIST: "the ASHA Code of Ethics (2023)",
        Profession.PHYSICAL_THERAPIST: "the APTA Code of Ethics for the Physical Therapist",
        Profession.EARLY_INTERVENTION_PROVIDER: "the DEC Code of Ethics (Division for Early Childhood)",
    }
)

# The professions' own sections that the general references don't already hold.
OWN_CITATIONS: Mapping[str, Citation] = MappingProxyType(
    {
        "aca_a_6_e": Citation(
            _ACA,
            "A.6.e",
            "Stay out of non-professional relationships with former clients, their partners or their families "
            "where the contact could harm the client.",
        ),
        "ana_provision_2": Citation(
            "ANA Code of Ethics for Nurses",
            "Provision 2",
            "Your first commitment is to the patient; where your own interests pull another way, settle it in the "
            "patient's favour.",
        ),
        "ana_social_networking": Citation(
            "ANA Principles for Social Networking and the Nurse (2011)",
            "",
            "Keep the ethical boundary between nurse and patient online just as you do in person.",
        ),
        "ncsbn_social_media": Citation(
            "NCSBN, A Nurse's Guide to the Use of Social Media",
            "",
            "Social media can blur the line between your professional and personal life without your meaning it to; "
            "keep patients' privacy and confidentiality whatever the platform.",
        ),
        "asha_social_media": Citation(
            "ASHA Issues in Ethics: Ethical Use of Social Media",
            "",
            "Even a small detail about a client in a post can identify them and break confidentiality.",
        ),
        "apta_2e": Citation(_APTA, "2E", "Protect what patients and clients tell you in confidence."),
    }
)

# What each code says when it has no section on a point: cited by name, or by the general sections it has.
_SPEAKS_GENERALLY: Mapping[Profession, Citation] = MappingProxyType(
    {
        Profession.COUNSELOR: Citation(
            _ACA, "", "Has no section on this point, so it speaks only generally here; the general references apply."
        ),
        Profession.MARRIAGE_FAMILY_THERAPIST: Citation(
            "AAMFT Code (2015)",
            "",
            "Has no section on social media or on this point, so it speaks only generally here; the general "
            "references apply.",
        ),
        Profession.PSYCHOLOGIST: Citation(
            "APA Ethics Code",
            "",
            "Has no section on social media or on this point, so it speaks only generally here; the general "
            "references apply.",
        ),
        Profession.NURSE: Citation(
            "ANA Code of Ethics for Nurses",
            "",
            "Speaks only generally on this point; the general references apply.",
        ),
        Profession.OCCUPATIONAL_THERAPIST: Citation(
            "AOTA Occupational Therapy Code of Ethics (2020)",
            "Standards of Conduct 1B, 1G",
            "No standard on social media, so it speaks only generally: follow your employer's policies when you act "
            "for it, and do nothing that lowers the public's trust in occupational therapy.",
        ),
        Profession.SPEECH_LANGUAGE_PATHOLOGIST: Citation(
            "ASHA Code of Ethics (2023)",
            "",
            "Has no rule on this point, so it speaks only generally here; the general references apply.",
        ),
        Profession.PHYSICAL_THERAPIST: Citation(
            _APTA,
            "2A",
            "No principle on social media or dual relationships, so it speaks only generally: put patients' and "
            "clients' interests ahead of your own.",
        ),
        Profession.EARLY_INTERVENTION_PROVIDER: Citation(
            "DEC Code of Ethics (Division for Early Childhood)",
            "Professional and Interpersonal Behavior, item 2",
            "No item on social media, so it speaks only generally: hold to the highest standards of integrity and "
            "honesty, so that children and families can trust you.",
        ),
    }
)


def _general_key(profession: Profession) -> str:
    return f"general:{profession.value}"


def citation(key: str) -> Citation | None:
    """Any citation a stored reason may name: general, a profession's own, or a code cited by name."""
    if key in CITATIONS:
        return CITATIONS[key]
    if key in OWN_CITATIONS:
        return OWN_CITATIONS[key]
    if key.startswith("general:"):
        try:
            return _SPEAKS_GENERALLY.get(Profession(key.removeprefix("general:")))
        except ValueError:
            return None
    return None


# For each profession, the keys of its own code that speak to each point. A point missing here is one
# where the code is silent. Social workers' own code is NASW, so NASW's sections are their own.
_OWN: Mapping[Profession, Mapping[Point, tuple[str, ...]]] = MappingProxyType(
    {
        Profession.SOCIAL_WORKER: {
            Point.DUAL: ("nasw_1_06_c",),
            Point.NETWORK: ("nasw_1_06_h",),
            Point.TECH: ("nasw_1_06_e",),
            Point.PRESENCE: ("nasw_1_06_fg", "tech_standards"),
            Point.SEARCHING: ("nasw_1_07_aq",),
            Point.SUPERVISION: ("nasw_3_01_c",),
            Point.PRIVATE_LIFE: ("nasw_4_03",),
        },
        Profession.COUNSELOR: {
            Point.DUAL: ("aca_a_6_e",),
            Point.NETWORK: ("aca_a_5_e",),
            Point.TECH: ("aca_h_2_a",),
            Point.PRESENCE: ("aca_h_6",),
            Point.SEARCHING: ("aca_h_6",),
        },
        # A personal tie on a network is a second role with the same person: the multiple-relationship
        # sections speak to it directly, though neither code names social media.
        Profession.MARRIAGE_FAMILY_THERAPIST: {Point.DUAL: ("aamft_1_3",), Point.NETWORK: ("aamft_1_3",)},
        Profession.PSYCHOLOGIST: {
            Point.DUAL: ("apa_3_05",),
            Point.NETWORK: ("apa_3_05",),
            Point.SUPERVISION: ("apa_3_05",),
        },
        Profession.NURSE: {
            Point.DUAL: ("ana_provision_2",),
            Point.NETWORK: ("ana_social_networking", "ncsbn_social_media"),
            Point.PRESENCE: ("ncsbn_social_media",),
        },
        Profession.OCCUPATIONAL_THERAPIST: {},
        Profession.SPEECH_LANGUAGE_PATHOLOGIST: {Point.PRESENCE: ("asha_social_media",)},
        Profession.PHYSICAL_THERAPIST: {Point.PRESENCE: ("apta_2e",)},
        Profession.EARLY_INTERVENTION_PROVIDER: {},
    }
)


def own_keys(keys: Iterable[str], profession: Profession | None) -> tuple[str, ...]:
    """The keys to cite for this profession: its own code's, then (if it is silent anywhere) the code by name,
    then the general references it is silent on, then the rest; each once, in that order."""
    keys = tuple(keys)
    own_by_point = _OWN.get(profession) if profession is not None else None
    if own_by_point is None:
        return tuple(dict.fromkeys(keys))
    own: list[str] = []
    fallback: list[str] = []
    rest: list[str] = []
    for key in keys:
        point = POINT_OF.get(key)
        if point is None:
            rest.append(key)
        elif point in own_by_point:
            own.extend(own_by_point[point])
        else:
            fallback.append(key)
    general = [_general_key(profession)] if fallback else []
    return tuple(dict.fromkeys(own + general + fallback + rest))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _fallback(cited: Citation) -> Citation:
    return Citation(
        cited.code, cited.section, f"Your code speaks generally here; {cited.code} {cited.section} says: "
        f"{_lower_first(cited.gist)}"
    )


def _citations(keys: tuple[str, ...], profession: Profession) -> tuple[Citation, ...]:
    own_by_point = _OWN[profession]
    found: list[Citation] = []
    for key in keys:
        cited = citation(key)
        if cited is None:
            continue
        point = POINT_OF.get(key)
        general = point is not None and point not in own_by_point and key in CITATIONS
        found.append(_fallback(cited) if general else cited)
    return tuple(found)


def _for_option(option: OptionGuidance, profession: Profession) -> OptionGuidance:
    reasons = tuple(replace(reason, citation_keys=own_keys(reason.citation_keys, profession))
                    for reason in option.reasons)
    keys = own_keys((key for reason in option.reasons for key in reason.citation_keys), profession)
    return replace(option, reasons=reasons, citations=_citations(keys, profession))


def cite_for(guidance: Guidance, profession: Profession | None) -> Guidance:
    """The guidance with each option's citations in this profession's order; unchanged without one."""
    if profession is None or profession not in _OWN:
        return guidance
    return replace(guidance, options=tuple(_for_option(option, profession) for option in guidance.options))


# --- codes stricter than the agency's policy ---------------------------------------------------

CODE_CLAUSE = "professional code"
_VIRTUAL_RELATIONSHIP_TRACKS = frozenset({Track.SESSION, Track.ACCIDENTAL, Track.FOLLOW})

ACA_NO_VIRTUAL_RELATIONSHIP = Reason(
    "Your agency's policy would allow this, but your own code is stricter: the ACA Code of Ethics (A.5.e) rules out "
    "a personal relationship on social media with someone you are counselling now, so for you the answer is no.",
    CODE_CLAUSE,
    ("aca_a_5_e",),
)


def stricter_code(facts: Facts, track: Track) -> Reason | None:
    """Why the practitioner's own code forbids accepting (or keeping) this connection, or None.

    Only a code's outright prohibitions count; a code that says "should avoid" adds its citation but
    leaves the agency's verdict alone.
    """
    if facts.profession is not Profession.COUNSELOR:
        return None
    medium = facts.medium
    if (
        facts.relationship is Relationship.CURRENT_CLIENT
        and track in _VIRTUAL_RELATIONSHIP_TRACKS
        and isinstance(medium, Platform)
        and group_of(medium) is PlatformGroup.PERSONAL_NETWORKS
    ):
        return ACA_NO_VIRTUAL_RELATIONSHIP
    return None
