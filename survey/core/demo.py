"""A realistic demo: a community safety strategy consultation modelled on a real 2005-08 one.

That consultation reported "64 responses were collated, 82% of which agreed with the
suggested strategic priorities" and asked "What are you most worried about?". The demo has
64 responses across channels and areas, 50 of the 61 who answered agreeing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from survey.core.answers import RawAnswer, RawMulti
from survey.core.questions import LIKERT_SCALE

SLUG = "community-safety-strategy"
PRIORITIES = (
    "Alcohol misuse",
    "Anti-social behaviour",
    "Community confidence",
    "Domestic violence",
    "Drug misuse",
    "Hate crime",
    "Volume crime (burglary and vehicle crime)",
    "Young people",
)
# The Welsh of each, in the same order: answers are stored as the English option, so answers
# given in either language count together.
PRIORITIES_CY = (
    "Camddefnyddio alcohol",
    "Ymddygiad gwrthgymdeithasol",
    "Hyder y gymuned",
    "Trais domestig",
    "Camddefnyddio cyffuriau",
    "Troseddau casineb",
    "Troseddau cyffredin (byrgleriaeth a throseddau cerbydau)",
    "Pobl ifanc",
)
AREAS = ("Bath", "Keynsham", "Midsomer Norton", "Radstock", "Chew Valley", "Somewhere else")
AREAS_CY = (
    "Caerfaddon",
    "Keynsham",
    "Midsomer Norton",
    "Radstock",
    "Dyffryn Chew",
    "Rhywle arall",
)
AGE_BANDS = ("Under 25", "25 to 44", "45 to 64", "65 or over", "Prefer not to say")
AGE_BANDS_CY = ("Dan 25", "25 i 44", "45 i 64", "65 neu’n hŷn", "Mae’n well gen i beidio â dweud")
HEAR_ABOUT = (
    "Council newsletter",
    "Local newspaper",
    "Website",
    "Social media",
    "Community meetings",
)
HEAR_ABOUT_CY = (
    "Cylchlythyr y cyngor",
    "Papur newydd lleol",
    "Gwefan",
    "Cyfryngau cymdeithasol",
    "Cyfarfodydd cymunedol",
)
# What residents wrote, in their own words (touching all 14 areas of concern of 2005-08).
WORRIES = (
    "Drunk people shouting in the street at night when the pubs shut.",
    "Teenagers hanging around the shops and intimidating older people.",
    "Our house was burgled last year and I still don't feel safe.",
    "Drug dealing near the park, you can see needles by the play area.",
    "Cars being broken into on our road, three this month.",
    "Nobody reports anything because the police never come.",
    "Domestic abuse - a friend could not get help quickly enough.",
    "Racist abuse towards the family next door.",
    "Someone cloned my credit card and emptied my account.",
    "People sleeping rough in shop doorways in the city centre.",
    "Not enough police officers on the beat, we never see them.",
    "Prisoners released with no support who go straight back to crime.",
    "Speeding traffic outside the primary school.",
    "Victims of crime are left on their own afterwards.",
    "Binge drinking and fighting on Saturday nights.",
    "Vandalism and graffiti on the bus shelter.",
    "Anti-social behaviour from youths on mopeds.",
    "Burglaries in the villages while people are at work.",
    "Young people with nothing to do in the evenings.",
    "Homophobic comments in the town centre.",
    "Police station closed so there is nowhere to go.",
    "Fly-tipping and noisy neighbours.",
    "Drugs being sold outside the school gates.",
    "Bikes stolen from the station.",
    "Fear of walking home after dark.",
    # And two concerns no area of concern covers, in different words, for finding new themes.
    "The lamp posts on our lane have been broken for months.",
    "No lamps working under the railway bridge, it is pitch dark.",
    "Street lamps out along the canal path for weeks.",
    "A dangerous dog on our estate has bitten two people.",
    "An out of control dog bit my son in the park.",
)
CHANNEL_PLAN = ("online",) * 40 + ("email",) * 5 + ("event",) * 4 + ("paper",) * 15


def definition(today: dt.date) -> dict[str, Any]:
    """The demo consultation as a definition file would give it, open around `today`."""
    return {
        "slug": SLUG,
        "title": "Community safety strategy: proposed priorities",
        "summary": (
            "The Community Safety Partnership is writing its strategy for the next three years. "
            "Our audit of crime and disorder suggests eight priorities. Tell us whether you agree, "
            "and what worries you most about crime and safety where you live."
        ),
        "opens": (today - dt.timedelta(days=30)).isoformat(),
        "closes": (today + dt.timedelta(days=30)).isoformat(),
        "how_used": (
            "Officers read every response. A summary of what people said, and how it shaped "
            "the priorities, will be published in the strategy."
        ),
        **WELSH_DETAILS,
        "questions": [
            {
                "key": "agree_priorities",
                "type": "agreement",
                "text": "Do you agree with the proposed strategic priorities?",
                "hint": "The priorities are: " + "; ".join(PRIORITIES) + ".",
                "text_cy": "Ydych chi’n cytuno â’r blaenoriaethau strategol arfaethedig?",
                "hint_cy": "Y blaenoriaethau yw: " + "; ".join(PRIORITIES_CY) + ".",
            },
            {
                "key": "priority_support",
                "type": "matrix",
                "text": "How much do you agree that each of these should be a priority?",
                "rows": list(PRIORITIES),
                "required": False,
                "text_cy": "I ba raddau ydych chi’n cytuno y dylai pob un o’r rhain fod yn "
                "flaenoriaeth?",
                "rows_cy": list(PRIORITIES_CY),
            },
            {
                "key": "worries",
                "type": "free_text",
                "text": "What are you most worried about?",
                "hint": "Tell us about crime, disorder or safety where you live or work. "
                "Do not include names or other personal details.",
                "codebook": "community-safety",
                "required": False,
                "text_cy": "Beth sy’n eich poeni fwyaf?",
                "hint_cy": "Dywedwch wrthym am drosedd, anhrefn neu ddiogelwch lle rydych chi’n "
                "byw neu’n gweithio. Peidiwch â chynnwys enwau na manylion personol eraill.",
            },
            {
                "key": "feel_safe",
                "type": "likert",
                "text": "I feel safe walking alone in my area after dark",
                "text_cy": "Rwy’n teimlo’n ddiogel yn cerdded ar fy mhen fy hun yn fy ardal ar "
                "ôl iddi dywyllu",
            },
            {
                "key": "hear_about",
                "type": "multi_choice",
                "text": "How would you like to hear about the partnership's work?",
                "options": list(HEAR_ABOUT),
                "other": True,
                "required": False,
                "text_cy": "Sut yr hoffech chi glywed am waith y bartneriaeth?",
                "options_cy": list(HEAR_ABOUT_CY),
            },
            {
                "key": "area",
                "type": "single_choice",
                "text": "Which area do you live in?",
                "options": list(AREAS),
                "breakdown": True,
                "text_cy": "Ym mha ardal ydych chi’n byw?",
                "options_cy": list(AREAS_CY),
            },
            {
                "key": "age_band",
                "type": "single_choice",
                "text": "What is your age?",
                "options": list(AGE_BANDS),
                "breakdown": True,
                "text_cy": "Beth yw eich oed?",
                "options_cy": list(AGE_BANDS_CY),
            },
        ],
    }


# The consultation's own text in Welsh, as a Welsh council would give it beside the English.
WELSH_DETAILS = {
    "title_cy": "Strategaeth diogelwch cymunedol: y blaenoriaethau arfaethedig",
    "summary_cy": (
        "Mae’r Bartneriaeth Diogelwch Cymunedol yn ysgrifennu ei strategaeth ar gyfer y tair "
        "blynedd nesaf. Mae ein harchwiliad o drosedd ac anhrefn yn awgrymu wyth blaenoriaeth. "
        "Dywedwch wrthym a ydych chi’n cytuno, a beth sy’n eich poeni fwyaf am drosedd a "
        "diogelwch lle rydych chi’n byw."
    ),
    "how_used_cy": (
        "Bydd swyddogion yn darllen pob ymateb. Bydd crynodeb o’r hyn a ddywedodd pobl, a sut y "
        "gwnaeth hynny lunio’r blaenoriaethau, yn cael ei gyhoeddi yn y strategaeth."
    ),
}


@dataclass(frozen=True)
class DemoResponse:
    """One generated response: its raw answers, channel and when it arrived."""

    raw: dict[str, RawAnswer | None]
    channel: str
    submitted_at: dt.datetime


def _plan(rng: random.Random) -> list[tuple[str, str | None]]:
    """(channel, agreement) per response; the three who skipped the question were on paper."""
    agreement: list[str | None] = []
    agreement += ["Yes"] * 50 + ["No"] * 7 + ["Don't know"] * 4
    rng.shuffle(agreement)
    plan = [(channel, agreement.pop()) for channel in CHANNEL_PLAN[:-3]]
    plan += [("paper", None)] * 3
    rng.shuffle(plan)
    return plan


def responses(now: dt.datetime, seed: int = 2005) -> list[DemoResponse]:
    """64 realistic responses, the same every time for the same `now`."""
    rng = random.Random(seed)
    out = []
    for number, (channel, agrees) in enumerate(_plan(rng)):
        lean = 0 if agrees == "Yes" else 2
        raw: dict[str, RawAnswer | None] = {
            "agree_priorities": agrees,
            "priority_support": {
                i: LIKERT_SCALE[min(5, max(0, lean + rng.choice((0, 0, 1, 1, 2, 3))))]
                for i in range(len(PRIORITIES))
                if rng.random() > 0.1
            },
            "worries": rng.choice(WORRIES) if rng.random() > 0.15 else None,
            "feel_safe": rng.choice(LIKERT_SCALE[:5]),
            "hear_about": RawMulti(
                tuple(rng.sample(HEAR_ABOUT, rng.randint(1, 2))),
                "Parish magazine" if rng.random() < 0.08 else "",
            ),
            "area": rng.choices(AREAS, weights=(30, 12, 8, 6, 5, 3))[0],
            "age_band": rng.choices(AGE_BANDS, weights=(6, 18, 22, 16, 2))[0],
        }
        when = now - dt.timedelta(
            days=29 - (number * 29) // len(CHANNEL_PLAN), hours=rng.randint(0, 10)
        )
        out.append(DemoResponse(raw, channel, when))
    return out
