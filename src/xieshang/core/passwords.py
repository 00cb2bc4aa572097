"""The password policy's own rule (the others are Django's: length, similarity, common, all-numeric)."""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A password must mix at least ``min_classes`` of: lower case, upper case, digits, symbols.

    A symbol is any character that is neither a letter nor a digit (full-width Chinese punctuation counts);
    Chinese characters are letters of no case and count towards none of the four classes.
    """

    CLASSES = 4

    def __init__(self, min_classes=3):
        if not 1 <= min_classes <= self.CLASSES:
            raise ImproperlyConfigured("CharacterClassValidator: min_classes must be between 1 and 4")
        self.min_classes = min_classes

    def classes(self, password):
        """How many of the four classes ``password`` uses."""
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple", params={"n": self.min_classes})

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes}
