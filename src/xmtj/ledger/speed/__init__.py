"""The speed path beside the plain loader: same ``Ledger``, faster for a province's ledger. Imports only
the ledger stage.

| module | what it is for |
| --- | --- |
| ``bulk`` | the working tree's load: cache lookups, worker processes, gc handling, ``Tuning`` |
| ``scan`` | the files listed, stat-ed and matched with the file index — in a forked child on a repeat run |
| ``blobs`` | the one record cache: records by git blob id, in segments, LRU-bounded |
| ``cache`` | the working tree's file index (stat key → blob id) and the trust rules of every cache |
| ``revision`` | a git revision (``--at``) through the blob cache |
| ``fastyaml`` | a line reader for the house YAML; steps aside (libyaml decides) for anything else |
"""
