"""What theme coding knows of Welsh words: how their first letters mutate, and whether an
answer is written in Welsh.

Pure core. Welsh changes a word's first letter after some words ("cath": "ei gath", "fy
nghath", "ei chath"; a vowel takes an h: "ei hofn"), so one word is written several ways.
`mutations` gives a word's other forms (a codebook's "cy:" phrases are found in each);
`radicals` goes back from a form to the words it could be a form of.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

# A first letter and what it becomes: soft, nasal and aspirate mutation.
_MUTATIONS = {
    "p": ("b", "mh", "ph"),
    "t": ("d", "nh", "th"),
    "c": ("g", "ngh", "ch"),
    "b": ("f", "m"),
    "d": ("dd", "n"),
    "g": ("", "ng"),
    "m": ("f",),
    "ll": ("l",),
    "rh": ("r",),
}
_UNMUTATED = ("ch", "dd", "ff", "ng", "ph", "th")  # letters of their own, which never mutate
_VOWELS = frozenset("aeiouwy")
# Welsh letters written with two (or, mutated, three) characters: a word is read from these.
_LETTERS = ("ngh", "mh", "nh", "ch", "dd", "ff", "ng", "ll", "ph", "rh", "th")
_ONLY_MUTATED = frozenset(("ngh", "mh", "nh", "dd", "ph"))  # no Welsh word starts with these


def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Short words common in Welsh and not English words, with the pieces Welsh's joined words leave
# ("i'r" is "i r", "sy'n" is "sy n"). They carry no theme: they are left out of the words
# suggested for a codebook.
FUNCTION_WORDS = _listed(
    """y yr r n o yn ar mae ma maen ac ei eu fy ein eich dim ddim wedi di sy sydd gyda efo hefyd
    ond nhw ni chi dw dwi rwy rydw rydyn mewn fewn bod yw ydy ydi oes does dydy dyw oedd roedd
    roeddwn gan wrth rhy iawn neu pob bob hyn hynny yma yna achos fel gen iddo iddi iddyn
    ohonyn ynddo felly ble pam beth pwy sut pryd nawr rwan heddiw bore nos hen dros heb erbyn
    tua yng ym ol drwy trwy rhwng arall eraill unrhyw ambell llawer gormod digon mwy mwyaf tu
    allan mas yno lle math bach mawr byth angen isio eisiau moyn plis cael gael mynd dod ddod
    neud gwneud ers eleni llynedd diwetha dydd awr sa pobman pawb popeth unman rhywun
    rhywbeth rhywle neb byd gwybod meddwl siwr un dau dwy tri tair pedwar pedair pump chwech
    saith wyth naw deg"""
)
# Of those, the ones that are English words too.
ALSO_ENGLISH = _listed("does bore hen math dim pump bob beth pam bach gen chi allan nos un mas am")
# Words that are Welsh and common in what residents write about where they live: with the
# short words above, less those that are English too, they tell an answer written in Welsh.
_MARKERS = (
    FUNCTION_WORDS
    | _listed(
        """pobl bobl blant pethau pethe stryd strydoedd dre dref tref pentre pentref ardal
        cyngor heddlu ysgol hogia bois wythnos blynyddoedd blynydde"""
    )
) - ALSO_ENGLISH
WELSH_SHARE = 0.15  # an answer is taken as Welsh when this share of its words are the above


def mutations(word: str) -> set[str]:
    """The other forms a Welsh word (lower case, no accents) takes when its first letter
    mutates: cyffuriau gives gyffuriau, nghyffuriau and chyffuriau; gwerthu gives werthu and
    ngwerthu; a word whose first letters never mutate gives none."""
    start = word[:2] if word[:2] in ("ll", "rh") else word[:1]
    if word[:2] in _UNMUTATED or not word[len(start) :]:
        return set()
    rest = word[len(start) :]
    forms = {first + rest for first in _MUTATIONS.get(start, ())}
    if start in _VOWELS:
        forms.add("h" + word)
    forms.discard(word)
    return forms


_UNDONE: dict[str, set[str]] = {}  # a mutated first letter: the letters it may have been
for _first, _forms in _MUTATIONS.items():
    for _form in _forms:
        if _form:
            _UNDONE.setdefault(_form, set()).add(_first)


def radicals(word: str) -> set[str]:
    """The words `word` may be a mutated form of, itself included unless no word starts so:
    gyffuriau gives gyffuriau and cyffuriau; feddw gives feddw, beddw and meddw (which is
    meant, the answers tell); nghyffuriau gives only cyffuriau. Welsh letters are read whole:
    ddiogel is diogel mutated, never a t-word."""
    form = next((f for f in _LETTERS if word.startswith(f)), "") or word[:1]
    found = set() if form in _ONLY_MUTATED else {word}
    for first in _UNDONE.get(form, ()):
        found.add(first + word[len(form) :])
    if form in _VOWELS:
        found.add("g" + word)  # soft mutation drops a g: gwerthu, ei werthu
    elif form == "h" and word[1:2] in _VOWELS:
        found.add(word[1:])  # ei hofn
    return {r for r in found if r == word or word in mutations(r)} or {word}


def unmutated(word: str, uses: Counter[str]) -> str:
    """The word a Welsh form is most likely a form of: of its `radicals`, the one whose forms
    are used most in `uses` (words counted in Welsh answers): gyffuriau twice and cyffuriau
    once are three uses of cyffuriau; between as many, one the answers use as it is (meddw,
    not beddw, whose nasal form it also is); with nothing to tell them apart, the form itself."""

    def family(candidate: str) -> int:
        return uses[candidate] + sum(uses[form] for form in mutations(candidate))

    return max(sorted(radicals(word)), key=lambda r: (family(r), uses[r] > 0, r == word))


def looks_welsh(words: Sequence[str]) -> bool:
    """Whether an answer's words (as matched) are Welsh, by its share of Welsh short words."""
    if not words:
        return False
    found = [word for word in words if word in _MARKERS]
    return len(found) >= WELSH_SHARE * len(words) and any(len(word) > 1 for word in found)
