"""Stage 4, the changes: new file texts, validated against the whole ledger, written all or nothing and
committed. Imports the stages below. ``history`` is the read side (``log``, ``diff``) and imports none of
the write side (``build``, ``apply``, ``writer``, ``lock``).

| module | what it is for |
| --- | --- |
| ``build`` | a ``Change``: the new texts of the files a command changes, and its commit subject; new records |
| ``apply`` | the one way a change goes out: validated, written (``writer``) all or nothing, committed, rolled back on failure; a change to nothing commits nothing |
| ``yamledit`` | surgical edits of hand-written YAML (only the changed bytes change) |
| ``yamlout`` | new records in the house layout; values quoted as YAML needs, Decimals exact |
| ``fieldtypes`` | a command-line value read as its field's type |
| ``writer`` | several files written all or none, never through a symlink, modes kept |
| ``outputs`` | ``--out``: where an export may be written (never the ledger's own files or a device) and the one way it is |
| ``lock`` | one change at a time (``flock`` on the ledger folder) |
| ``letters`` | the 督办提醒函 of a ``remind`` run and their register entries, as one change |
| ``briefings`` | issuing a 通报: its number registered in ``data/briefings/`` and the document, as one change; 作废 and 重新印发 |
| ``sync`` | the office's server and this copy made the same: fetch, merge field by field, push |
| ``undo`` | one xmtj change taken back as a new change; what it issued voided, never removed |
| ``fields`` | a record file as dotted fields in the office's terms, and what differs between two versions |
| ``history`` | the audit trail: ``log`` (genuine renames only) and ``diff``, field by field; issued months from the register |
| ``authors`` | who may change what (``check --authors``): each commit by ``units``, trailers that claim what a commit does not do |
| ``hook`` | the git server's pre-receive hook: every ref judged by who pushed it, as the server says |
| ``reporting`` | a county's ``submit`` (the 报送 tag) and a roll-up's members in ``xmtj.yaml`` |
| ``scaffold`` | ``init``: a new ledger's files, folders and first commit |
"""
