from django_tasks import task


@task()
def deliver_outbox(pk: int | None = None):
    from .services import outbox_deliver

    sent, failed = outbox_deliver(pk=pk)
    return {"sent": sent, "failed": failed}
