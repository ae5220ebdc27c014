"""hydra_magic: verifiable knowledge graphs in Jupyter (HyDRA in notebooks)."""

__version__ = "0.1.0"
