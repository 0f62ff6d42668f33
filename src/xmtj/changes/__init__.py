"""Stage 4, the changes: new file texts, validated against the whole ledger, written all or nothing and
committed. Imports the stages below. ``history`` is the read side (``log``, ``diff``) and imports none of
the write side (``build``, ``apply``, ``writer``, ``lock``).

| module | what it is for |
| --- | --- |
| ``build`` | a ``Change``: the new texts of the files a command changes, and its commit subject; new records |
| ``apply`` | validate a change, write it (``writer``), commit it, roll it back if the commit fails |
| ``yamledit`` | surgical edits of hand-written YAML (only the changed bytes change) |
| ``yamlout`` | new records in the house layout; values quoted as YAML needs, Decimals exact |
| ``fieldtypes`` | a command-line value read as its field's type |
| ``writer`` | several files written all or none, never through a symlink, modes kept |
| ``lock`` | one change at a time (``flock`` on the ledger folder) |
| ``letters`` | the 督办提醒函 of a ``remind`` run and their register entries, as one change |
| ``briefings`` | ``report --out``: the briefing written and committed with its ``Xmtj-Report`` trailer |
| ``history`` | the audit trail: ``log`` (genuine renames only) and ``diff``, field by field |
"""
