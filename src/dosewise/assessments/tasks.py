from django_tasks import task

from dosewise.assessments.services import care_tasks_escalate


@task()
def care_tasks_escalate_task() -> int:
    return care_tasks_escalate()
