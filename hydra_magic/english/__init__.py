"""The English grammar of hydra_magic: no tagger, no model, no downloaded data.

Two readers share one package:

- :mod:`.cq` reads competency questions into ontology requirements (:func:`~.cq.parse_cq`,
  :func:`~.cq.propose_from_cqs`); the CQ → SPARQL compilers (:mod:`hydra_magic.tbox_sparql`,
  :mod:`hydra_magic.verify.cq_tests`) and the CQ benchmark use it too;
- :mod:`.text` reads sentences into triple candidates with an ontology's labels, learned
  triggers and the learned relation model (:func:`~.text.extract_triples`,
  :func:`~.text.learn_triggers`).

Their words are data: :mod:`.lexicon` (the CQ grammar) and :mod:`.text.words`;
:mod:`.morphology` and :mod:`.word_classes` read the lexicon. The offline engine
(:mod:`hydra_magic.engines.rules`) is a thin class over both. This package sits below the
contracts and the engines: it imports the model (ontology, KG, candidates), never an engine,
the pipeline or the session. Importing it imports nothing; each reader is loaded when used.
"""
