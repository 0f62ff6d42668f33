"""The speed path beside the plain loader: same ``Ledger``, faster for a province's ledger. Imports only
the ledger stage.

| module | what it is for |
| --- | --- |
| ``bulk`` | the working tree's load: cache lookups, worker processes, gc handling, ``Tuning``; the ledger's fingerprint |
| ``scan`` | the files listed, stat-ed and matched with the file index — in a forked child on a repeat run |
| ``gitindex`` | git's index file read directly: which files are as committed, their blob ids and stat |
| ``blobs`` | the one record cache: records by git blob id, in segments, LRU-bounded |
| ``cache`` | the working tree's file index (stat key → blob id), the caches' names and the record pickler |
| ``revision`` | a git revision (``--at``) through the blob cache |
| ``derived`` | what is worked out from the whole ledger (the errors that leave records out), kept per fingerprint |
| ``rollcache`` | a roll-up's figures per member submission, kept by the submission's tree id (JSON) |
"""
