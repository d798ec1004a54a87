"""The public word search and the auditor's code search at scale, before (LIKE '%…%', a scan) and after (the
full-text index, the code's prefix on its index): builds N published petitions with Core inserts (folded
Vietnamese-like texts, Zipf-like word use) and prints the p50/p95 of 2-word searches and of 6-character codes.

    .venv/bin/python bench/search.py -n 100000 [--url postgresql+psycopg://…/pakn_bench]   # default: a SQLite file
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.agencies.models import Province  # noqa: E402
from app.bootstrap import prepare_database  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import LIKE_ESCAPE, contains_pattern  # noqa: E402
from app.inspection.search import code_starting  # noqa: E402
from app.petitions.models import Field, Petition  # noqa: E402
from app.petitions.queries import PUBLIC_PAGE, PublicFilters, published_query  # noqa: E402
from app.petitions.search import search_words  # noqa: E402
from app.petitions.tracking import new_tracking_code, normalize  # noqa: E402
from app.services import open_services  # noqa: E402

ONSETS = "b c ch d g gi h k kh l m n ng nh ph qu r s t th tr v x".split()
RHYMES = "a ai an ang anh ao at au ay e em en eo et i ich iem ien inh it o oi on ong ot u ua uc ui un ung uong uyen y"
RHYMES = RHYMES.split()


def syllables(rng) -> list[str]:
    """A vocabulary whose use follows a Zipf-like law, as words do."""
    words = list(dict.fromkeys(o + r for o in ONSETS for r in RHYMES))
    rng.shuffle(words)
    return words


def build(session, n: int, rng):
    words = syllables(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    province = session.scalar(select(Province.code).limit(1))
    field = session.scalar(select(Field.code).limit(1))
    start = datetime(2020, 1, 1, tzinfo=UTC)
    codes = list({new_tracking_code() for _ in range(n + 100)})[:n]
    for first in range(0, n, 5000):
        rows = []
        for i in range(first, min(n, first + 5000)):
            text = " ".join(rng.choices(words, weights, k=rng.randint(30, 90)))
            when = start + timedelta(minutes=i * 3)
            rows.append({
                "tracking_code": codes[i],
                "kind": "phan_anh", "field_code": field, "channel": "web", "title": text[:80], "content": text,
                "sender_name": "Nguyễn Văn An", "sender_address": "", "sender_phone": "", "sender_email": "",
                "province_code": province, "status": "published", "public_title": text[:80], "search_text": text,
                "received_at": when, "published_at": when + timedelta(days=10), "updated_at": when,
                "hidden": False, "state_secret": False, "late": False,
            })  # fmt: skip
        session.execute(insert(Petition), rows)
        session.commit()
    return words, codes


def old_query(q: str):
    """The search of the release before: a LIKE '%word%' per word."""
    words = [Petition.search_text.like(contains_pattern(w), escape=LIKE_ESCAPE) for w in search_words(q)]
    query = select(Petition).where(
        Petition.published_at.is_not(None), Petition.hidden.is_(False), Petition.state_secret.is_(False), *words
    )
    return query.order_by(Petition.published_at.desc()).limit(PUBLIC_PAGE + 1)


def timed(session, statements) -> list[float]:
    spent = []
    for statement in statements:
        began = time.perf_counter()
        session.scalars(statement).all()
        spent.append((time.perf_counter() - began) * 1000)
    return spent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--url", default="")
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/search.sqlite3"
    services = open_services(Config(database_url=url))
    prepare_database(services, demo=False)
    rng = random.Random(18)
    with services.sessions() as session:
        began = time.perf_counter()
        words, codes = build(session, args.n, rng)
        print(f"{args.n} published petitions inserted in {time.perf_counter() - began:.0f} s ({url.split(':')[0]})")
        if session.get_bind().dialect.name == "postgresql":
            session.connection().exec_driver_sql("ANALYZE petition")
            session.commit()
        # two words of the vocabulary's middle ranks: each in a few % of the texts, as a real query's words are
        queries = [f"{rng.choice(words[20:200])} {rng.choice(words[20:200])}" for _ in range(args.queries)]
        dialect = session.get_bind().dialect.name
        for name, build_statement in (
            ("LIKE (before)", old_query),
            ("full text (after)", lambda q: published_query(dialect, PublicFilters(q=q))),
        ):
            timed(session, [build_statement(q) for q in queries[:3]])  # warm the cache
            spent = sorted(timed(session, [build_statement(q) for q in queries]))
            p95 = spent[int(len(spent) * 0.95) - 1]
            print(f"{name:18} p50 {statistics.median(spent):7.1f} ms   p95 {p95:7.1f} ms")
        # the auditor's code search (its condition on petition alone: these rows have no instance)
        typed = [rng.choice(codes)[:6].lower() for _ in range(args.queries)]  # "7qx4-m": one case in 100,000
        for name, condition in (
            ("code LIKE (before)", lambda t: [Petition.tracking_code.like(f"%{normalize(t)}%")]),
            ("code prefix (after)", code_starting),
        ):
            statements = [
                select(Petition).where(*condition(t)).order_by(Petition.received_at.desc()).limit(200) for t in typed
            ]
            spent = sorted(timed(session, statements))
            print(f"{name:18} p50 {statistics.median(spent):7.1f} ms   p95 {spent[int(len(spent) * 0.95) - 1]:7.1f} ms")


if __name__ == "__main__":
    main()
