"""``python -m mapbridge``: the same as the ``mapbridge`` command."""

from mapbridge.cli import main

main()
