"""The background worker: runs queued tasks (django-tasks database backend) and the periodic jobs, in turns.

One loop in one thread: take up to ``--batch-size`` queued tasks, run the due periodic jobs (at most every
``--periodic-every`` seconds), then sleep ``--interval`` seconds. SIGTERM or SIGINT stops the loop after the
current task; a second signal exits at once. Run as many workers as needed: task rows and job periods are
claimed, so no task or period runs twice.
"""

import logging
import signal
import sys
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.crypto import get_random_string

from xieshang.core import periodic

logger = logging.getLogger("xieshang.worker")


def _database_backend():
    """The default task backend if it is the database one (the only kind this worker runs), else None."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    backend = task_backends["default"]
    return backend if isinstance(backend, DatabaseBackend) else None


class Command(BaseCommand):
    help = "Run queued background tasks and periodic jobs until stopped (SIGTERM); --once for one round."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one round (tasks, then due jobs) and exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds to sleep between rounds.")
        parser.add_argument(
            "--periodic-every", type=float, default=60.0, help="Seconds between checks for due periodic jobs."
        )
        parser.add_argument("--batch-size", type=int, default=100, help="Most tasks to run per round.")
        parser.add_argument("--queue-name", default="*", help="Task queues to serve, comma separated; * for all.")
        parser.add_argument("--no-periodic", action="store_true", help="Only run tasks.")
        parser.add_argument("--no-tasks", action="store_true", help="Only run periodic jobs.")

    def handle(self, *args, **options):
        # The database worker logs its start and end at INFO; this loop restarts it every round.
        logging.getLogger("django_tasks_db").setLevel(logging.INFO if options["verbosity"] > 1 else logging.WARNING)
        self.stop = threading.Event()
        self.current = None
        self.worker_id = f"xs-{get_random_string(12)}"
        if not options["once"]:
            signal.signal(signal.SIGTERM, self._on_signal)
            signal.signal(signal.SIGINT, self._on_signal)
        run_tasks = not options["no_tasks"] and _database_backend() is not None
        if not options["no_tasks"] and not run_tasks:
            self.stdout.write("The task backend is not the database backend; tasks run where they are enqueued.")
        last_periodic = None
        while not self.stop.is_set():
            try:
                self._refresh_connections()
                if run_tasks:
                    self._run_tasks(options)
                due = last_periodic is None or time.monotonic() - last_periodic >= options["periodic_every"]
                if not options["no_periodic"] and due and not self.stop.is_set():
                    last_periodic = time.monotonic()
                    for run in periodic.run_due():
                        if run.status != "skipped":
                            self.stdout.write(f"{run.name}: {run.status}{' — ' + run.error if run.error else ''}")
                self._refresh_connections()
            except Exception:
                if options["once"]:
                    raise
                # A database restart or network blip must not end the worker; the next round tries again.
                logger.exception("worker round failed; retrying in %s s", options["interval"])
            if options["once"]:
                break
            self.stop.wait(options["interval"])
        self.stdout.write("Worker stopped.")

    def _refresh_connections(self):
        """Drop broken or expired connections between rounds, as Django does between requests.

        Never inside an open transaction (a caller's, or a test's): closing would discard it.
        """
        if not connection.in_atomic_block:
            close_old_connections()

    def _run_tasks(self, options):
        from django_tasks_db.management.commands.db_worker import Worker

        self.current = Worker(
            queue_names=options["queue_name"].split(","),
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=options["batch_size"],
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        try:
            self.current.run()
        finally:
            self.current = None

    def _on_signal(self, signum, frame):
        if self.stop.is_set():
            sys.exit(1)
        self.stdout.write(f"Received {signal.strsignal(signum)}; stopping after the current task.")
        self.stop.set()
        if self.current is not None:
            # The database worker checks this flag between tasks.
            self.current.running = False
