"""The speed path beside the plain loader: same ``Ledger``, faster for a province's ledger. Imports only
the ledger stage.

| module | what it is for |
| --- | --- |
| ``bulk`` | the bulk load: cache lookups, a forked scan of the files, worker processes, gc handling, ``Tuning`` |
| ``cache`` | the per-file record cache: private folders only, restricted unpickling, 16 shards per kind |
| ``fastyaml`` | a line reader for the house YAML; steps aside (libyaml decides) for anything else |
"""
