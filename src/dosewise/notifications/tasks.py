from django_tasks import task

from dosewise.notifications.services import outbox_deliver


@task()
def outbox_deliver_task(message_id: int) -> str:
    return outbox_deliver(message_id)
