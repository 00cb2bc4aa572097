"""State machines as data: a :class:`Table` of allowed moves per model, and the check every move goes through.

An app declares ``{from: {to: audit verb}}`` for each of its stateful models and applies moves with
:meth:`Table.check` (raises :class:`InvalidTransition` with a translated message naming both states) before
saving; the move's audit verb is returned so the caller records exactly one event per move.
"""

from django.core.exceptions import ValidationError


class InvalidTransition(ValidationError):
    """A move that the transition table does not allow; the message names both states."""

    def __init__(self, message, *, from_status, to_status):
        super().__init__(message, code="invalid_transition")
        self.from_status = from_status
        self.to_status = to_status


class Table:
    """The moves of one model's ``status`` field.

    ``moves`` is ``{from: {to: verb}}``; ``choices`` the TextChoices of the states; ``message`` a callable
    returning the translated refusal with ``%(from)s`` and ``%(to)s`` placeholders (called at refusal time,
    so it follows the active language).
    """

    def __init__(self, moves, choices, message):
        missing = set(choices.values) - set(moves)
        if missing:
            raise ValueError(f"states without a row in the table: {sorted(missing)}")
        self.moves = moves
        self.choices = choices
        self.message = message

    def allowed(self, obj, to_status):
        return to_status in self.moves.get(obj.status, {})

    def targets(self, status):
        """The states reachable from ``status`` in one move."""
        return set(self.moves.get(status, {}))

    def check(self, obj, to_status):
        """Raise :class:`InvalidTransition` unless ``obj`` may move to ``to_status``; return the audit verb."""
        verb = self.moves.get(obj.status, {}).get(to_status)
        if verb is None:
            labels = dict(self.choices.choices)
            current, wanted = labels.get(obj.status, obj.status), labels.get(to_status, to_status)
            raise InvalidTransition(self.message() % {"from": current, "to": wanted}, from_status=obj.status,
                                    to_status=to_status)
        return verb
