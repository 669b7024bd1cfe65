"""Crash and soak run of the outbox: real `portal worker` processes against the fake SendGrid, SIGKILLed again and
again while the provider answers slowly, then 500s for a while, then hangs for a while. Counts what landed at
the fake: lost (never delivered), duplicated (delivered twice or more) and, for each kill, what the killed worker
had in flight — the only messages allowed to arrive twice.

    python -m bench.outbox_crash [--messages 1400] [--workers 2] [--kills 8] [--errors 40] [--hangs 30]
                                 [--delay 0.05] [--batch 50] [--concurrency 4] [--lease 10] [--database-url URL]
    make bench BENCH_ARGS=--outbox-crash       (the defaults)

The fault-free race the probe found: `--kills 0 --errors 0 --hangs 0 --batch 100 --concurrency 2 --lease 10
--delay 0.3 --messages 300` (a batch takes longer than its lease). Exits 1 when anything is lost, when a
message not in flight at a kill arrives twice, or when anything arrives twice in a run without kills.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, insert, select


def _queue(engine, n: int) -> list[int]:
    from portal.db import utcnow
    from portal.mail.models import OutboxMessage, OutboxStatus

    now = utcnow()
    rows = [{"to_address": f"fan{i}@fans.example", "template": "receipt", "subject": f"We have your feedback {i}",
             "body_text": "Hello,\n\nThank you for telling us.\n", "body_html": "<p>Thank you for telling us.</p>",
             "context": {}, "status": OutboxStatus.queued, "attempts": 0, "next_attempt_at": now, "claimed_by": "",
             "claim_token": "", "provider_message_id": "", "last_error": "", "created_at": now, "reply_to": "",
             "transactional": True} for i in range(n)]
    with engine.begin() as connection:
        connection.execute(insert(OutboxMessage), rows)
        return sorted(connection.scalars(select(OutboxMessage.id)))


def _statuses(engine) -> Counter:
    from portal.mail.models import OutboxMessage

    with engine.connect() as connection:
        return Counter({status.value: n for status, n in connection.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))})


def run(args: argparse.Namespace) -> dict:
    from bench.run import prepare_database
    from portal.db import make_engine
    from portal.migrate import upgrade
    from tests.mail.fake_sendgrid import FakeSendGrid
    from tests.mail.worker_processes import WorkerProcess, worker_env

    workdir = Path(tempfile.mkdtemp(prefix="mir-outbox-crash-"))
    url, drop = prepare_database(args.database_url, workdir)
    rng = random.Random(args.seed)
    worker_args = ("--lease", str(args.lease), "--batch", str(args.batch), "--concurrency", str(args.concurrency),
                   "--poll", "0.2", "--first-retry", str(args.first_retry), "--max-attempts", "50")
    kills: list[dict] = []
    workers: list[WorkerProcess] = []
    try:
        upgrade(url)
        engine = make_engine(url)
        with FakeSendGrid() as fake:
            env = worker_env(url, fake.url, workdir)
            workers = [WorkerProcess(env, *worker_args) for _ in range(args.workers)]
            for worker in workers:
                worker.wait_started(timeout=120)
            fake.delay_seconds = args.delay
            ids = _queue(engine, args.messages)
            started = time.monotonic()
            # The faults, one after another: kills spread over the whole stretch, provider errors, then hangs.
            errors_from, hangs_from = 3.0, 3.0 + args.errors + 3.0
            chaos_until = hangs_from + args.hangs + 3.0
            kill_at = [chaos_until * (k + 1) / (args.kills + 1) for k in range(args.kills)]
            print(f"{len(ids)} messages queued; {args.workers} workers; {args.kills} kills over {chaos_until:.0f} s",
                  flush=True)
            while True:
                elapsed = time.monotonic() - started
                fake.default = 500 if errors_from <= elapsed < errors_from + args.errors else 202
                fake.hang_seconds = 30.0 if hangs_from <= elapsed < hangs_from + args.hangs else 0.0
                ready = [w for w in workers if w.started]
                if kill_at and elapsed >= kill_at[0] and ready:  # a kill waits for a worker that is running
                    kill_at.pop(0)
                    # Prefer a worker with sends on the wire: that is the kill that can cause a duplicate.
                    busy = [w for w in ready if w.in_flight(engine)]
                    victim = rng.choice(busy or ready)
                    in_flight = victim.kill(engine)
                    kills.append({"at": round(elapsed, 1), "worker": victim.worker_id, "in_flight": in_flight})
                    workers.remove(victim)
                    workers.append(WorkerProcess(env, *worker_args))
                    print(f"  {elapsed:5.1f} s  killed {victim.worker_id} with {len(in_flight)} in flight", flush=True)
                done = _statuses(engine)
                if not kill_at and elapsed > chaos_until and done["sent"] + done["dead"] == len(ids):
                    break
                if elapsed > args.timeout:
                    print("  timed out before every message was sent", flush=True)
                    break
                time.sleep(0.1)
            seconds = time.monotonic() - started
            time.sleep(1.0)  # a duplicate still on the wire would land now
            for worker in workers:
                worker.stop(timeout=60)
            delivered = Counter(fake.outbox_ids())
        statuses = _statuses(engine)
        engine.dispose()
    finally:
        for worker in workers:
            worker.stop(timeout=5)
        drop()
    in_flight = set().union(*(k["in_flight"] for k in kills)) if kills else set()
    duplicated = {i for i, n in delivered.items() if n > 1}
    return {
        "messages": len(ids), "workers": args.workers, "kills": len(kills),
        "kills_mid_batch": sum(1 for k in kills if k["in_flight"]), "errors_seconds": args.errors,
        "hangs_seconds": args.hangs, "seconds": round(seconds, 1),
        "delivered": len(delivered), "lost": len(set(ids) - set(delivered)), "dead": statuses["dead"],
        "duplicated": len(duplicated), "extra_deliveries": sum(delivered.values()) - len(delivered),
        "in_flight_at_kills": len(in_flight), "duplicated_not_in_flight": len(duplicated - in_flight),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1400)
    parser.add_argument("--workers", type=int, default=2, help="worker processes running at once")
    parser.add_argument("--kills", type=int, default=8, help="SIGKILLs, each followed by a fresh worker")
    parser.add_argument("--errors", type=float, default=40.0, help="seconds during which the provider answers 500")
    parser.add_argument("--hangs", type=float, default=30.0, help="seconds during which the provider never answers")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds the provider takes to answer")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--lease", type=int, default=10)
    parser.add_argument("--first-retry", type=float, default=2.0, help="the workers' first retry delay (seconds)")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""),
                        help="a PostgreSQL server URL; a database of the run's own is created and dropped")
    result = run(parser.parse_args(argv))
    print(f"outbox crash run: {result['messages']} messages, {result['workers']} workers, {result['kills']} kills "
          f"({result['kills_mid_batch']} mid-batch), {result['errors_seconds']:.0f} s of 500s, "
          f"{result['hangs_seconds']:.0f} s of hangs, {result['seconds']} s")
    print(f"  delivered {result['delivered']}, lost {result['lost']}, dead {result['dead']}")
    print(f"  duplicated {result['duplicated']} ({result['extra_deliveries']} extra deliveries); "
          f"in flight at the kills {result['in_flight_at_kills']}; "
          f"duplicated though not in flight {result['duplicated_not_in_flight']}")
    broken = result["lost"] or result["duplicated_not_in_flight"] or (result["kills"] == 0 and result["duplicated"])
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
