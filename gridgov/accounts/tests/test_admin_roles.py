"""Django admin shows a user's roles but does not give or change them: that goes through the
accounts pages' service, which keeps the separation of duties."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory

from gridgov.accounts.admin import RoleAssignmentInline
from gridgov.accounts.models import RoleAssignment, User
from gridgov.core.access import Role

pytestmark = pytest.mark.django_db


def test_a_superuser_reads_roles_in_admin_but_cannot_give_or_change_one(tree, user_factory):
    root = User.objects.create_superuser("root", password="Root-password-2026")
    worker = user_factory(Role.GRID_WORKER, tree.grids[0], username="grid_one")
    request = RequestFactory().get("/")
    request.user = root
    inline = RoleAssignmentInline(User, site)
    assert inline.has_view_permission(request, worker)
    assert not inline.has_add_permission(request, worker)
    assert not inline.has_change_permission(request, worker)
    assert not inline.has_delete_permission(request, worker)
    # the change page lists the role, with no field to edit it
    client = Client()
    client.force_login(root)
    page = client.get(f"/admin/accounts/user/{worker.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "roleassignment_set-0-role" not in text
    assert RoleAssignment.objects.filter(user=worker).count() == 1
