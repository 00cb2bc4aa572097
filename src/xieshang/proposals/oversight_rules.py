"""Who may record the activities (visits, meetings) of a key proposal's oversight (督办活动).

The proposal office, as for the oversight report (``proposals.select_key``), and the committee leader in charge
of the oversight (``SupervisionTask.leader``). The object is the ``SupervisionTask`` or its proposal.
"""

import rules

from xieshang.org.rules import declare

from .models import Proposal, SupervisionTask


def task_of(obj):
    """The oversight task of ``obj`` (a task, a proposal or an event), or None when it has none."""
    if isinstance(obj, SupervisionTask):
        return obj
    if isinstance(obj, Proposal):
        if not obj.is_key:
            return None
        try:
            return obj.oversight
        except SupervisionTask.DoesNotExist:
            return None
    return getattr(obj, "task", None)


@rules.predicate
def leads_oversight(user, obj):
    task = task_of(obj)
    return task is not None and user.is_authenticated and task.leader_id is not None and task.leader_id == user.pk


@rules.predicate
def oversees_for_office(user, obj):
    task = task_of(obj)
    return task is not None and user.has_perm("proposals.select_key", task.proposal)


declare("proposals.record_supervision_event", oversees_for_office | leads_oversight)
