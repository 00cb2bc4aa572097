"""Signals other apps listen to without importing proposal models (see docs/architecture.md, imports)."""

from django.dispatch import Signal

# Sent inside do_convert_proposal's transaction, after the move: kwargs proposal, target, actor.
proposal_converted = Signal()
