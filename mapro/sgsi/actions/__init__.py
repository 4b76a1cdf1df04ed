"""Actions of the SGSI registers: every change goes through one of these (audited)."""
