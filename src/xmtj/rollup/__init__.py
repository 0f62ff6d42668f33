"""Stage 3, the roll-up: a prefecture's (or province's) ledger over its members' repositories. Imports the
ledger and figures stages.

| module | what it is for |
| --- | --- |
| ``mirrors`` | the members' mirrors in the roll-up's ``.git``, and the one safe way git touches them (fetch) |
| ``members`` | a member read as it submitted a month (its tags), namespaced, merged into one ledger |
| ``report`` | the members' figures counted by their own rules, ranked and added up; kept by tree id |
"""
