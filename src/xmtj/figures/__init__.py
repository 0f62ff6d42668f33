"""Stage 2, the figures: how the office counts, as pure functions of (ledger, year, day). Imports the
ledger stage only.

| module | what it is for |
| --- | --- |
| ``periods`` | month ends, 时序进度, whole months; which period a report is for, and impossible ones refused |
| ``metrics`` | a project's status (completion, lag, light, reasons), summaries, groups, ``ledger_status`` |
| ``queries`` | which problems, meetings and letters a listing shows |
| ``fmt`` | the office's ways of writing figures: 万元, 亿元, %, 百分点, dates; Markdown escaping |
"""
