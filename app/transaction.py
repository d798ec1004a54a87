"""One operation, one transaction: commit on success, roll back on any failure, audit refusals."""

from functools import wraps

from app.audit.log import record
from app.errors import PermissionDenied


def operation(fn):
    """Run `fn(session, ...)` as one transaction. A refusal is rolled back, then audited in its own commit."""

    @wraps(fn)
    def run(session, *args, **kwargs):
        try:
            result = fn(session, *args, **kwargs)
            session.commit()
            return result
        except PermissionDenied as denied:
            session.rollback()
            record(
                session,
                denied.actor,
                denied.action or fn.__name__,
                petition=denied.petition,
                task_id=denied.task_id,
                data={"reason": str(denied), **(denied.data or {})},
                outcome="refused",
            )
            session.commit()
            raise
        except BaseException:
            session.rollback()
            raise

    return run
