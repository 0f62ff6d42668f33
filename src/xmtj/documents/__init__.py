"""Stage 3, the documents: letters and briefings from templates the office can edit. Imports the ledger
and figures stages; writes nothing (saving a document is a change: ``xmtj.changes``).

| module | what it is for |
| --- | --- |
| ``templates`` | the Jinja2 environment (immutable sandbox, StrictUndefined, Markdown escaping) and ``render`` |
| ``letters`` | choosing the slow projects, numbering the letters, each letter's context (``plan_reminders``) |
| ``briefing`` | the monthly briefing's and annual summary's contexts, the year's plan summary, ``render_briefing`` |
"""
