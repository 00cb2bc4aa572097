from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_proposal_converted(sender, *, proposal, target, actor, **kwargs):
    """A proposal converted to 社情民意信息 arrives here, submitted, inside the conversion's transaction."""
    if target == "social_info":
        from .actions import do_convert_from_proposal

        do_convert_from_proposal(proposal, actor=actor)


class OpinionsConfig(AppConfig):
    name = "xieshang.opinions"
    label = "opinions"
    verbose_name = _("社情民意")

    def ready(self):
        from xieshang.proposals.signals import proposal_converted

        from . import reminders, rules, settings, verbs, workbench  # noqa: F401  (daily job, permissions, rules, verbs, to-dos)

        proposal_converted.connect(_on_proposal_converted, dispatch_uid="opinions.convert_from_proposal")
