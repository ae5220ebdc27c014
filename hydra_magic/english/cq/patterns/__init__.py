"""The question families of the CQ grammar, one module each (see :mod:`..registry`)."""
