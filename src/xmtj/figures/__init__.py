"""Stage 2, the figures: how the office counts, as pure functions of (ledger, year, day). Imports the
ledger stage only.

| module | what it is for |
| --- | --- |
| ``periods`` | which period a report is for, the ledger's years, impossible periods refused |
| ``schedule`` | where a project stands against its own schedule: money done, its 序时 (monthly plan, from its planned start month, or the year's), 续建, stage |
| ``metrics`` | the one rule that lights a project (``project_status``: completion, lag, light, reasons) and summaries that add up |
| ``reasons`` | why a project is lit, as typed facts, each with the one sentence that says it |
| ``status`` | ``xmtj status``'s report: summary, rows and groups (ranked, or in xmtj.yaml's order), ``ledger_status`` |
| ``sentences`` | the sentences that state figures (headline, lights adding up, 手续, 督办), the same in every output |
| ``prose`` | the 通报 in prose: change since last month, the ranking's ends, early and late milestones, problems, 下步工作 blocks |
| ``queries`` | which problems, meetings and letters a listing shows |
| ``fmt`` | the office's ways of writing figures: 万元, 亿元, %, 百分点, dates; Markdown escaping |
| ``approvals`` | the 手续 ledger: each approval's state, department and days waiting; the pending ones by department |
| ``returns`` | 月报交回: a unit has reported when its projects have the month's figures, by whatever route |
| ``rollup`` | a roll-up's totals: the members' figures added up (``combine``) |
"""
