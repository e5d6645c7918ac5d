"""Benchmark: does finding new themes gather a theme the codebook does not know into one group?

Not a test: it prints figures. For each theme of the community-safety codebook in turn, the
theme is taken out of the codebook (planted as unseen); the labelled answers of
bench/data/worries.csv that the rest of the codebook does not match are grouped by
survey.core.new_themes (with the sentence model `make setup` keeps), and it prints the share of
the planted theme's unmatched answers that land in the one group holding most of them (target
0.8) and that group's purity (fewer, bigger groups raise the share and lower the purity, so both
are printed).
Then the same on a larger consultation of another subject (consult-synthetic: every answer
of a question, each reference theme's share in one group), and it times grouping --answers
unmatched answers (repeated from the file).

By default every labelled answer is used (the benchmark as first defined, before it had a
held-out part). `--half dev` groups only the development
half's answers, the one to look at when changing the grouping; `--half held-out` only the other,
to be scored, never tuned on (see bench/labelled.py).

    .venv/bin/python bench/new_themes.py [--half dev|held-out] [--answers 10000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled import DEV, HELD_OUT, labelled_answers  # noqa: E402
from learning_f1 import DATA as CONSULT  # noqa: E402
from learning_f1 import load_question  # noqa: E402

from survey.core.coding import DEFAULT_CODEBOOK, Matcher, load_codebook  # noqa: E402
from survey.core.new_themes import find_clusters  # noqa: E402
from survey.core.sentence_vectors import installed  # noqa: E402


def planted_share(planted: str, half: str | None = None) -> tuple[int, float, float, int]:
    """(unmatched answers of the planted theme, share in its biggest group, that group's purity
    (share of its answers that are the planted theme's), groups found); `half` None: all."""
    codebook = load_codebook(DEFAULT_CODEBOOK)
    matcher = Matcher({t.name: t.phrases for t in codebook.themes if t.name != planted})
    unmatched = [
        a
        for a in labelled_answers()
        if (half is None or a.half == half) and not matcher.theme_indexes(a.text)
    ]
    clusters = find_clusters([a.text for a in unmatched], model=installed())
    wanted = {i for i, a in enumerate(unmatched) if planted in a.themes}
    if not wanted:
        return 0, 0.0, 0.0, len(clusters)
    counts = Counter(
        next((n for n, c in enumerate(clusters) if i in c.members), -1) for i in wanted
    )
    counts.pop(-1, None)
    if not counts:
        return len(wanted), 0.0, 0.0, len(clusters)
    group, best = counts.most_common(1)[0]
    return len(wanted), best / len(wanted), best / clusters[group].size, len(clusters)


def larger_consultation() -> None:
    """Each reference theme's single-theme answers of the consult-synthetic questions (about 300
    answers each, another subject): the share in one group, its purity, and the share of all
    the answers in the biggest group (one catch-all group would hide every theme in it)."""
    shares, purities, biggest = [], [], []
    for folder in sorted(CONSULT.glob("question_*")):
        question = load_question(folder)
        if question is None:
            continue
        clusters = find_clusters([a.text for a in question.answers], model=installed())
        group_of = {i: n for n, c in enumerate(clusters) for i in c.members}
        biggest.append(max(c.size for c in clusters) / len(question.answers))
        for letter in question.letters:
            wanted = [i for i, a in enumerate(question.answers) if a.themes == {letter}]
            counts = Counter(group_of[i] for i in wanted if i in group_of)
            if len(wanted) < 5 or not counts:
                continue
            group, best = counts.most_common(1)[0]
            members = clusters[group].members
            shares.append(best / len(wanted))
            purities.append(
                sum(letter in question.answers[i].themes for i in members) / len(members)
            )
    print(
        f"consult-synthetic ({len(shares)} themes): share in one group "
        f"{sum(shares) / len(shares):.2f}, purity {sum(purities) / len(purities):.2f}, "
        f"biggest group {sum(biggest) / len(biggest):.0%} of a question's answers"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10000)
    parser.add_argument("--half", choices=[DEV, HELD_OUT], help="only this half's answers")
    args = parser.parse_args()
    names = [t.name for t in load_codebook(DEFAULT_CODEBOOK).themes]
    print(f"answers: {args.half or 'all'}; sentence model: {'yes' if installed() else 'NONE'}")
    print(f"{'planted theme':<24}{'unmatched':>10}{'in one group':>14}{'purity':>8}{'groups':>8}")
    shares, purities = [], []
    for name in names:
        count, share, purity, groups = planted_share(name, args.half)
        if count:  # a theme with no unmatched answers in this half has nothing to find
            shares.append(share)
            purities.append(purity)
        print(f"{name:<24}{count:>10}{share:>14.2f}{purity:>8.2f}{groups:>8}")
    print(
        f"mean share in one group: {sum(shares) / len(shares):.2f} (target 0.80); "
        f"mean purity of that group: {sum(purities) / len(purities):.2f}"
    )
    larger_consultation()
    texts = list(islice(cycle(a.text for a in labelled_answers()), args.answers))
    start = time.perf_counter()
    clusters = find_clusters(texts, model=installed())
    seconds = time.perf_counter() - start
    print(f"{len(texts):,} answers grouped into {len(clusters)} groups in {seconds:.2f} s")


if __name__ == "__main__":
    main()
