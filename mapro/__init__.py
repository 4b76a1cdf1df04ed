"""mapro: the OGTIE's MAPRO S04 procedures, run as workflows."""
