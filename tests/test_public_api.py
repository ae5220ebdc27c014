"""The names hydra_magic promises: importable from the package, typed, and light to import."""

from __future__ import annotations

import inspect
import subprocess
import sys

import hydra_magic


def test_every_public_name_resolves_to_what_its_module_defines() -> None:
    for name in hydra_magic.__all__:
        obj = getattr(hydra_magic, name)
        module = hydra_magic._LAZY.get(name)
        if module is not None:
            assert getattr(sys.modules[module], name) is obj, name


def test_public_classes_and_functions_are_typed() -> None:
    """Every public method's parameters and return carry annotations (mypy checks they are right)."""
    missing = []
    for name in hydra_magic.__all__:
        obj = getattr(hydra_magic, name)
        members = [(name, obj)] if inspect.isfunction(obj) else [
            (f"{name}.{m}", f) for m, f in vars(obj).items()
            if inspect.isfunction(f) and not m.startswith("_")] if inspect.isclass(obj) else []
        for label, func in members:
            sig = inspect.signature(func)
            untyped = [p for p in sig.parameters.values()
                       if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty]
            if untyped or sig.return_annotation is inspect.Signature.empty:
                missing.append(label)
    assert not missing, f"untyped public API: {missing}"


def test_the_engine_protocol_is_what_the_offline_engine_implements() -> None:
    from hydra_magic.engines.rules import RulesEngine

    for method in ("extract", "propose_ontology"):
        assert callable(getattr(RulesEngine, method)), method
        assert method in dir(hydra_magic.Engine)


def test_importing_the_package_stays_light() -> None:
    code = ("import sys, hydra_magic; heavy = [m for m in ('rdflib', 'IPython', 'litellm', 'pyoxigraph') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
