"""Stage 3, the documents: letters and briefings from templates the office can edit. Imports the ledger
and figures stages; writes nothing (saving a document is a change: ``xmtj.changes``).

| module | what it is for |
| --- | --- |
| ``templates`` | the Jinja2 environment (immutable sandbox, StrictUndefined, Markdown escaping, time and size limits) and ``render`` |
| ``letters`` | choosing the slow projects, numbering the letters, each letter's context; a letter as it was issued |
| ``briefing`` | the monthly 通报's context and ``render_briefing``; its date; an issued month as it went out; the roll-up's |
| ``annual`` | the annual summary's figures and a year's list at a glance (谋划) |
| ``gongwen`` | a GB/T 9704 公文 laid out in Word (python-docx): measures, fonts, rules, page numbers |
| ``wordxml`` | Word's XML parts (fonts for Chinese and figures, rules, fields, exact lines, fixed tables, frames) and the page furniture (grid, zh-CN, font alternatives) |
| ``narrative`` | the 通报's prose put together: the month it is compared with, its sentences, 下步工作, 督办情况 |
| ``pagenumbers`` | page numbers where GB/T 9704 puts them, on portrait pages and (turned) on landscape ones |
| ``tables`` | a table's column widths from its content (CJK and Times New Roman widths; ids, 文号, dates and figures never wrap), its cells' lines |
| ``titles`` | a title broken between words (jieba and the office's words), never inside a number and its unit |
| ``wordfile`` | a letter's or a 通报's Markdown as a Word file through ``gongwen`` |
| ``workbook`` | the Excel 台账: the table, the ranking and its charts, the problems |
| ``xlsx`` | what every Excel file xmtj writes shares: styles, number formats by kind, print set-up, text written as text (never a formula); a listing's workbook from its typed rows |
"""
