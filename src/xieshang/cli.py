"""The ``xieshang`` command: Django's management commands plus ``serve``, ``worker`` and ``demo``.

``xieshang serve``  runs the platform with waitress (XS_HOST, XS_PORT, XS_THREADS).
``xieshang worker`` runs background tasks and the periodic jobs (see core/management/commands/worker.py).
``xieshang demo``   migrates, loads the demo committee and prints the logins.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
