"""Every change to the digital-government registers (``do_*``): one transaction, the role
checked (``access``; skipped with ``engine_checked=True`` for procedure steps, whose role the
engine checked), all input problems at once as Spanish field errors, and one audit event."""
