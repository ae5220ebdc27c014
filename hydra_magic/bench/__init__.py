"""Quality benchmarks against public data sets written by others (Text2KGBench, …).

Each benchmark module loads its data from a ``data_dir`` (by default
``../shared/data`` next to the repository), says where to get the data when it
is missing, scores with the published metric definitions and prints the
published baselines next to hydra_magic's figures.
"""
