"""Mail into tickets: the help-desk and phishing mailboxes read over IMAP.

See docs/decisions/mail-intake.md.
"""
