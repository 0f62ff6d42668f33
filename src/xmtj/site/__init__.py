"""Stage 5b, the leaders' view: ``xmtj site``, the ledger as static pages (项目驾驶舱) that open from a folder,
offline — the same figures as ``status`` and the 通报, from the same functions.

| module | what it is for |
| --- | --- |
| ``build`` | the pages of a ledger (or a roll-up) rendered by Jinja2 with autoescape, and written |
| ``context`` | what every page shares: ``Page``, the header, where a group's and a project's pages live, project rows, paging |
| ``overview`` | the 总览: headline figures with last month's change, the monthly chart, lights, ranking, rates, problems, letters |
| ``projects`` | the project table and one page per project (record, months, problems, letters, approvals, history) |
| ``registers`` | the groups' pages (分指挥部, 责任单位, 包联领导) and 问题, 手续, 督办, 月报交回 |
| ``members`` | a roll-up ledger's pages: its members ranked, each member's submitted figures, 未报送 and 报送有误 |
| ``charts`` | inline SVG charts computed in Python, a ``<title>`` on every mark |
| ``output`` | where the site may be written and how: only changed pages, each whole, never over what xmtj did not make |
| ``serve`` | ``--serve``: the pages on 127.0.0.1, read-only, rebuilt when the ledger changes |

``templates/`` holds the pages' templates and ``static/`` the one stylesheet and the one small script.
"""
