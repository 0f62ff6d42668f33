"""xmtj (项目推进): the key-project ledger of a county's project promotion office."""

__version__ = "0.2.0"
