"""Index updates on commit: post_save/post_delete receivers for every provider's model and its dependents.

Other apps' actions need not know about search: saving or deleting a row schedules the re-index of the
affected items, which runs once the transaction commits (and never if it rolls back).
"""

from django.db.models.signals import post_delete, post_save

from . import index, registry

_connected = set()


def _receiver(kind, resolve):
    def handler(sender, instance, **kwargs):
        if kwargs.get("raw"):
            return
        for pk in resolve(instance):
            if pk is not None:
                index.schedule(kind, pk)

    return handler


def connect():
    for provider in registry.all_providers():
        targets = {provider.model: lambda obj: [obj.pk], **provider.dependents}
        for model, resolve in targets.items():
            key = (provider.kind, model)
            if key in _connected:
                continue
            handler = _receiver(provider.kind, resolve)
            uid = f"search:{provider.kind}:{model._meta.label}"
            post_save.connect(handler, sender=model, weak=False, dispatch_uid=uid + ":save")
            post_delete.connect(handler, sender=model, weak=False, dispatch_uid=uid + ":delete")
            _connected.add(key)
