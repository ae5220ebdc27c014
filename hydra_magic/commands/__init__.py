"""Subcommands of the ``hydra`` command line; each module has ``add_parser(p)`` and ``run(args)``."""
