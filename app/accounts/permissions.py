"""Who may open which page: sign-in and role checks for views."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.accounts.models import Role


def role_required(*roles: Role) -> Callable:
    """Redirect a signed-out visitor to sign in; refuse any other role with 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
