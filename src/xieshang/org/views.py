from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from .models import Committee, ImportJob


def get_committee_for(request, code, perm):
    """The committee named by ``code`` if ``request.user`` holds ``perm`` on it; 404 if it does not exist."""
    committee = get_object_or_404(Committee, code=code)
    if not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return committee


@login_required
def home(request, committee):
    committee = get_committee_for(request, committee, "org.view_committee")
    return render(request, "org/home.html", {"committee": committee})


@login_required
def import_detail(request, committee, pk):
    committee = get_committee_for(request, committee, "org.view_imports")
    job = get_object_or_404(ImportJob, pk=pk, committee=committee)
    return render(request, "org/import_detail.html", {"committee": committee, "job": job})
