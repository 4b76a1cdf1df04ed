"""The directory (LDAP / Active Directory): account operations applied by the worker, sign-in."""
