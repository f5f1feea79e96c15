"""The built-in rule packs (YAML), installed as ``planaudit.packs``; see README.md here."""
