from typing import Any

from django.http import HttpRequest

from .permissions import grants_for


def roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's role codes, for the layout header and navigation."""
    user = getattr(request, "user", None)
    return {"user_roles": sorted({g.role for g in grants_for(user)})}
