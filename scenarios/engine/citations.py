"""The professional code sections the guidance may cite, each with a gist in our own words.

Gists are reminders, not quotations: practitioners should check the official text before
relying on one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Citation:
    code: str
    section: str
    gist: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "section": self.section, "gist": self.gist}


NASW = "NASW Code of Ethics"

CITATIONS: Mapping[str, Citation] = MappingProxyType(
    {
        "nasw_1_06_c": Citation(
            NASW, "1.06(c)", "Stay out of dual relationships with clients or former clients that could exploit or harm them."
        ),
        "nasw_1_06_e": Citation(NASW, "1.06(e)", "Technology is for the work: no personal, off-topic messages with clients."),
        "nasw_1_06_fg": Citation(
            NASW, "1.06(f)-(g)", "Clients may find your personal posts and online groups, which can blur the boundary."
        ),
        "nasw_1_06_h": Citation(
            NASW, "1.06(h)", "Don't accept requests from clients on personal social networks or build personal ties there."
        ),
        "nasw_1_07_aq": Citation(
            NASW,
            "1.07(a), 1.07(q)",
            "Don't look for private client information online unless there is a compelling reason such as safety.",
        ),
        "nasw_1_07_a": Citation(
            NASW, "1.07(a)", "Respect clients' privacy: seek private information about them only for a compelling "
            "professional reason."
        ),
        "nasw_1_07_q": Citation(
            NASW,
            "1.07(q)",
            "Don't search for or gather information about clients online without a compelling professional reason "
            "and, where it fits, their informed consent.",
        ),
        "nasw_3_01_c": Citation(
            NASW,
            "3.01(c), 3.02(d)",
            "Supervisors and field instructors avoid dual relationships with supervisees and students that could harm "
            "them, online ones included.",
        ),
        "nasw_4_03": Citation(NASW, "4.03", "What you do in private must not get in the way of your professional duties."),
        "tech_standards": Citation(
            "NASW/ASWB/CSWE/CSWA Technology Standards (2017)",
            "2.01, 2.10",
            "Ethics apply online just as in person; agencies should have a social-media policy and tell clients about it.",
        ),
        "aca_h_6": Citation(
            "ACA Code of Ethics (2014)",
            "H.6.a-d",
            "Keep professional and personal online presence apart, cover social media in informed consent, and don't view "
            "a client's profile without consent.",
        ),
        "aca_h_6_c": Citation(
            "ACA Code of Ethics (2014)", "H.6.c", "A client's social-media presence is private: don't view it without their consent."
        ),
        "aca_h_6_d": Citation(
            "ACA Code of Ethics (2014)", "H.6.d", "Take care that nothing confidential comes out through public social media."
        ),
        "aca_a_5_e": Citation(
            "ACA Code of Ethics (2014)", "A.5.e", "Personal virtual relationships with current clients are off limits."
        ),
        "aca_h_2_a": Citation(
            "ACA Code of Ethics (2014)",
            "H.2.a",
            "Consent to using technology covers how fast you will answer, what to do in an emergency, and what happens "
            "when the technology fails.",
        ),
        "apa_3_05": Citation(
            "APA Ethics Code", "3.05", "Avoid multiple relationships that could cloud objectivity or risk exploitation."
        ),
        "aamft_1_3": Citation(
            "AAMFT Code (2015)",
            "1.3",
            "Avoid multiple relationships that could impair judgement, and write down the precautions you take.",
        ),
        "nursing_social_media": Citation(
            "ANA / NCSBN nursing guidance",
            "social media principles",
            "Never post anything that could identify a patient; keep the nurse-patient boundary; assume anyone can see a post.",
        ),
        "ama_social_media": Citation(
            "AMA Code of Medical Ethics",
            "social media opinion",
            "Personal and professional personas can't be fully kept apart, so keep the boundary when patients reach you online.",
        ),
        "hipaa_minimum_necessary": Citation(
            "HIPAA Privacy Rule",
            "45 CFR 164.502(b), 164.514(d)",
            "Record only what the purpose needs: a client reference, not a name or a diagnosis.",
        ),
        "hipaa_164_502_b": Citation(
            "HIPAA Privacy Rule",
            "45 CFR 164.502(b)",
            "Share no more about a client than the purpose needs; even confirming that someone is a client "
            "discloses something about them.",
        ),
    }
)


def citations_for(keys: Iterable[str]) -> tuple[Citation, ...]:
    """The citations for these keys in first-seen order, each once."""
    return tuple(CITATIONS[key] for key in dict.fromkeys(keys))
