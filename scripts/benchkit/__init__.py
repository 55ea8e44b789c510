"""The parts of ``scripts/bench.py``, one job each.

- :mod:`.measure`: running one command in a fresh child process and measuring it; interleaved
  rounds and pairwise ratios.
- :mod:`.inputs`: the filled werkboeken the reads are measured on (seeded, cached, hard-linked).
- :mod:`.cases`: the cases: build, extract one file, batch, import time.
- :mod:`.report`: rows, the table, and the verdicts against the targets.
- :mod:`.calls`: every call into ``werkbladen``'s modules, in one place (the rest runs its command).
"""
