import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform with waitress (production-capable WSGI server; static files via WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("XS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("XS_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("XS_THREADS", "8")))

    def handle(self, *args, host, port, threads, **options):
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        # Static files first: WhiteNoise lists STATIC_ROOT once, when the application is built, so an application
        # built before the first collectstatic serves none of them (every page unstyled until a restart).
        call_command("collectstatic", interactive=False, verbosity=0)
        application = get_wsgi_application()
        self.stdout.write(f"Xieshang on http://{host}:{port}/  (static: {settings.STATIC_ROOT})")
        proxy = os.environ.get("XS_TRUSTED_PROXY")
        # Behind a reverse proxy, waitress takes the client address and scheme from the proxy's headers.
        proxy_options = (
            {"trusted_proxy": proxy, "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}} if proxy else {}
        )
        serve(application, host=host, port=port, threads=threads, ident="xieshang", **proxy_options)
