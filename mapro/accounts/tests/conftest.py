"""Fixtures of the accounts tests: the loopback SMTP server (codes travel by real mail)."""

from mapro.notifications.testing import smtp_server  # noqa: F401 (pytest fixture)
