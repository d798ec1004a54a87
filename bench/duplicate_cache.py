"""Benchmark: the memory a web worker's duplicate-detection cache takes once full (issue 18 point 1, RSS per worker).

    python bench/duplicate_cache.py [--extra 3000]

`app/petitions/duplicates.py` keeps term vectors by text digest, bounded by MAX_HELD_TERMS terms in all (least
recently used out). This fills the cache with distinct texts as long as a real petition (eight sentences of the
lifecycle bench's prose in a random order, forty of its words shuffled, a numbered line), then `--extra` more to
show that it stays at its bound. Prints the texts held, the terms, the RSS the cache added, and ms per new text.
"""

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lifecycle import ANSWER, CONTENT  # noqa: E402

from app.petitions import duplicates  # noqa: E402


def rss_mb() -> float:
    """The current resident set (not the peak): what the cache holds now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no /proc/self/status: Linux only")


def texts(seed: int = 1):
    sentences = re.split(r"(?<=\.) ", f"{CONTENT} {ANSWER}")
    words = f"{CONTENT} {ANSWER}".split()
    rng, n = random.Random(seed), 0
    while True:
        n += 1
        yield " ".join([*rng.sample(sentences, 8), " ".join(rng.sample(words, 40)), f"Hồ sơ số {n}."])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", type=int, default=3000, help="texts added once the cache is full (default 3000)")
    args = parser.parse_args()
    duplicates.forget_vectors()
    source, before, started, count = texts(), rss_mb(), time.perf_counter(), 0
    while duplicates.held_terms() < duplicates.MAX_HELD_TERMS * 0.999:
        duplicates.similarity(next(source), "")
        count += 1
    seconds, full = time.perf_counter() - started, rss_mb()
    for _ in range(args.extra):
        duplicates.similarity(next(source), "")
    print(f"cache bound: {duplicates.MAX_HELD_TERMS:,} terms")
    print(f"full after {count:,} texts ({duplicates.held_terms() / count:,.0f} terms each), "
          f"{seconds * 1000 / count:.2f} ms per new text")  # fmt: skip
    print(f"RSS: {before:.0f} MB before, +{full - before:.1f} MB full, +{rss_mb() - before:.1f} MB after "
          f"{args.extra:,} more texts (held {duplicates.held_terms():,} terms)")  # fmt: skip


if __name__ == "__main__":
    main()
