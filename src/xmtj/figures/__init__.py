"""Stage 2, the figures: how the office counts, as pure functions of (ledger, year, day). Imports the
ledger stage only.

| module | what it is for |
| --- | --- |
| ``periods`` | which period a report is for, the ledger's years, impossible periods refused |
| ``metrics`` | a project's status (completion, lag, light, reasons), summaries, groups, ``ledger_status`` |
| ``queries`` | which problems, meetings and letters a listing shows |
| ``fmt`` | the office's ways of writing figures: 万元, 亿元, %, 百分点, dates; Markdown escaping |
| ``approvals`` | the 手续 ledger: each approval's state, department and days waiting; the pending ones by department |
| ``returns`` | 月报交回: a unit has reported when its projects have the month's figures, by whatever route |
| ``rollup`` | a roll-up's totals: the members' figures added up (``combine``) |
"""
