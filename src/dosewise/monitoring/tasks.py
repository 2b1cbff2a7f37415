from django_tasks import task

from dosewise.monitoring.imports import result_import_run


@task()
def result_import_task(import_id: int) -> str:
    return result_import_run(import_id)
