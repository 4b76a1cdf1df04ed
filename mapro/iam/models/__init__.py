from .accounts import Account, AccountQuerySet
from .secrets import OneTimeSecret

__all__ = ["Account", "AccountQuerySet", "OneTimeSecret"]
