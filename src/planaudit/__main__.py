"""``python -m planaudit``: the same as the ``planaudit`` command."""
from .cli import main

main()
