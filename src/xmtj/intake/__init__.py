"""Stage 5, the way in: the office's own spreadsheets read, checked to the cell and turned into one
``Change`` (``xmtj.changes``) per sheet. Imports the stages below; the command line calls it.

| module | what it is for |
| --- | --- |
| ``sheets`` | a sheet (.xlsx/.xls/.ods by python-calamine in a bounded child process, .csv in UTF-8 or GBK) as rows |
| ``bounds`` | how large a spreadsheet may be, measured before any reader sees it |
| ``cells`` | one cell as an amount, a date, a text or a list, generous only where the meaning is certain |
| ``columns`` | the headings offices write, the header row, the unit row (万元/亿元), rows that are not data |
| ``rows`` | what the importers share: the opened sheet, problems at cells, the ``Plan`` of an import |
| ``projects`` | ``import projects``: the project 台账 into new and updated project files |
| ``progress`` | ``import progress``: the monthly 月报 into ``progress.<month>`` (and new problems) |
| ``dispatch`` | 调度表 out and back: each unit's sheet, signed; a returned sheet verified row by row |
| ``keys`` | the office's dispatch key, kept outside the ledger (HMAC-SHA256) |
"""
