"""Background tasks whose worker died: found, marked failed, and their work handed back to the user.

django_tasks_db marks a task RUNNING when a worker claims it and FAILED/SUCCESSFUL when the worker
finishes it. A worker killed in between (kill -9, out of memory, a machine restarted) leaves the row
RUNNING forever, and whatever waits on it (an import's page) waits forever too.

How a worker is known to be gone:
* SOCEC's `socec db_worker` (socec/core/management/commands/db_worker.py) names itself
  ``HOST:PID:random``. On the same machine, a worker whose process no longer exists is gone.
* Workers on other machines (PostgreSQL deployments) write a heartbeat into the shared cache every
  HEARTBEAT_SECONDS; a heartbeat older than HEARTBEAT_STALE_SECONDS means gone.
* Otherwise (a worker named some other way, no heartbeat): gone when the task shows no sign of
  life (its start, or the progress its handler reports) for longer than `older_than` seconds.

A recovered row is marked FAILED (exception ``socec.core.recovery.WorkerLost``) with a conditional
update, so a worker that finishes at the same moment wins, and the task's `lost` handler (see
`register`) tells the user: the workbook import marks its run failed and asks to run it again.

Recovery runs when `socec db_worker` starts and with `socec recover_tasks [--older-than SECONDS]`
(from cron, say every 10 minutes, where workers may die unattended).
"""

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
HEARTBEAT_STALE_SECONDS = 90
HEARTBEAT_KEY = "socec:worker-heartbeat:"
DEFAULT_OLDER_THAN = 15 * 60  # no sign of life from a task of an unknown worker for this long: gone
LOST_EXCEPTION = "socec.core.recovery.WorkerLost"


class WorkerLost(Exception):
    """The worker running the task stopped before finishing it."""


# --- the workers' names and liveness ---------------------------------------------------------------------


def host_name() -> str:
    return socket.gethostname().split(".")[0][:40] or "host"


def new_worker_id() -> str:
    return f"{host_name()}:{os.getpid()}:{get_random_string(8)}"[:64]


def _parse(worker_id: str) -> tuple[str, int] | None:
    parts = (worker_id or "").split(":")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return _not_a_zombie(pid)


def _not_a_zombie(pid: int) -> bool:
    """A killed child not yet reaped by its parent still has a process entry (Linux: state Z)."""
    with contextlib.suppress(OSError, IndexError), open(f"/proc/{pid}/stat") as fh:
        return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def worker_alive(worker_id: str) -> bool | None:
    """True/False when it can be told, None when it cannot (another machine, no heartbeat)."""
    parsed = _parse(worker_id)
    if parsed is not None and parsed[0] == host_name():
        return _pid_alive(parsed[1])
    try:
        beat = cache.get(HEARTBEAT_KEY + worker_id)
    except DatabaseError:
        beat = None
    if beat is not None:
        return time.time() - float(beat) < HEARTBEAT_STALE_SECONDS
    return None


class Heartbeat:
    """A thread of the worker process that says it is alive, in the shared cache (the database)."""

    def __init__(self, worker_id: str, interval: float = HEARTBEAT_SECONDS):
        self.key = HEARTBEAT_KEY + worker_id
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="socec-heartbeat", daemon=True)

    def start(self) -> "Heartbeat":
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    cache.set(self.key, time.time(), timeout=HEARTBEAT_STALE_SECONDS * 4)
                except DatabaseError:  # the database busy or away: try again next time
                    logger.debug("heartbeat not written", exc_info=True)
                self.stopped.wait(self.interval)
        finally:
            with contextlib.suppress(Exception):
                cache.delete(self.key)
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


# --- what a task's loss means --------------------------------------------------------------------------


@dataclass
class Handler:
    lost: Callable  # lost(task_row) -> a short description of what was done, or ""
    activity: Callable | None = None  # activity(task_row) -> datetime of the last sign of life, or None


_handlers: dict[str, Handler] = {}


def register(task, *, lost, activity=None) -> None:
    """What to do when `task` (a django_tasks task) is found lost, and how to see that it still moves."""
    _handlers[task.module_path] = Handler(lost=lost, activity=activity)


def _handler(row) -> Handler | None:
    if row.task_path not in _handlers:
        with contextlib.suppress(Exception):  # importing the task's module registers its handler
            row.task  # noqa: B018
    return _handlers.get(row.task_path)


# --- recovery -------------------------------------------------------------------------------------------


@dataclass
class Recovered:
    task_id: str
    task_path: str
    worker_id: str
    reason: str
    outcome: str = ""


def _last_sign_of_life(row, handler: Handler | None) -> dt.datetime:
    times = [row.started_at or row.enqueued_at]
    if handler is not None and handler.activity is not None:
        with contextlib.suppress(Exception):
            seen = handler.activity(row)
            if seen is not None:
                times.append(seen)
    return max(t for t in times if t is not None)


def recover_lost_tasks(*, older_than: float | None = DEFAULT_OLDER_THAN, now: dt.datetime | None = None
                       ) -> list[Recovered]:
    """Marks FAILED the RUNNING tasks whose worker is gone (see the module's docstring) and runs
    their `lost` handlers. `older_than`: seconds without a sign of life after which a task of a
    worker that cannot be asked is taken as lost (None: only workers known to be gone)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    found = []
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("started_at"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        alive = worker_alive(worker)
        handler = _handler(row)
        if alive:
            continue
        if alive is None:
            if older_than is None:
                continue
            quiet = (now - _last_sign_of_life(row, handler)).total_seconds()
            if quiet < older_than:
                continue
            reason = f"no sign of life for {int(quiet)} s"
        else:
            reason = f"worker {worker} is no longer running"
        with transaction.atomic():
            taken = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
                exception_class_path=LOST_EXCEPTION,
                traceback=f"{LOST_EXCEPTION}: the worker stopped before the task finished ({reason}); "
                          "recovered by socec recover_tasks.")
            if not taken:
                continue
            outcome = ""
            if handler is not None:
                outcome = handler.lost(row) or ""
        logger.warning("Task %s (%s) was lost: %s. %s", row.pk, row.task_path, reason, outcome)
        found.append(Recovered(task_id=str(row.pk), task_path=row.task_path, worker_id=worker, reason=reason,
                               outcome=outcome))
    return found
