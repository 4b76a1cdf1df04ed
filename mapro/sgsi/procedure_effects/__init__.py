"""The procedure steps that write the SGSI registers (registered in ``SgsiConfig.ready``):
S04.01.00.03 writes the register of SGSI documents (``documents``), S04.03.03.02 activity 15 the
asset inventory SGSI-FOR-002 and its change log, the Formato N° 01 (``inventory``)."""
