"""``python -m planaudit``: the same as the ``planaudit`` command.

Guarded, because a worker process started by spawn or a fork server (the audit processes
of ``planaudit serve``) imports the main module again, and must not run the command.
"""
from .cli import main

if __name__ == "__main__":
    main()
