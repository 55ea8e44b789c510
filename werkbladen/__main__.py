"""``python -m werkbladen``: the same as the ``werkbladen`` command."""

from werkbladen.cli import main

main(prog_name="werkbladen")
