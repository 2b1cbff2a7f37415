from django_tasks import task

from dosewise.monitoring.fill_imports import fill_import_run
from dosewise.monitoring.imports import result_import_run


@task()
def result_import_task(import_id: int) -> str:
    return result_import_run(import_id)


@task()
def fill_import_task(import_id: int) -> str:
    return fill_import_run(import_id)


@task()
def lab_reminders_send_task() -> int:
    from dosewise.monitoring.reminders import lab_reminders_send

    return lab_reminders_send().sent
