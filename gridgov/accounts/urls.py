"""Account pages: one's own account, and managing accounts (system administrators)."""

from django.urls import path

from gridgov.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.account_view, name="me"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("me/password/", views.password_change_view, name="password-change"),
    path("regions/", views.region_tree_view, name="region-tree"),
    path("users/", views.user_list_view, name="users"),
    path("users/new/", views.user_create_view, name="user-create"),
    path("users/<int:user_id>/", views.user_detail_view, name="user"),
    path("users/<int:user_id>/roles/", views.role_assign_view, name="role-assign"),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/revoke/",
        views.role_revoke_view,
        name="role-revoke",
    ),
    path("users/<int:user_id>/unlock/", views.user_unlock_view, name="user-unlock"),
    path("users/<int:user_id>/edit/", views.user_edit_view, name="user-edit"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate_view, name="user-deactivate"),
    path("users/<int:user_id>/reactivate/", views.user_reactivate_view, name="user-reactivate"),
    path(
        "users/<int:user_id>/reset-password/",
        views.user_password_reset_view,
        name="user-password-reset",
    ),
    path(
        "users/<int:user_id>/tokens/<int:token_id>/revoke/",
        views.user_token_revoke_view,
        name="user-token-revoke",
    ),
]
