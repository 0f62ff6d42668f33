"""The command line: parse options, call the core, print. The only code that prints or exits.

Heavy imports (pydantic models, rich, tabulate, jinja2) happen inside the commands so that
``xmtj --help`` stays fast.
"""

from xmtj.cli import documents, edit_cmds, history_cmds, ledger_cmds, records  # noqa: F401 - registers the commands
from xmtj.cli.common import app


def main() -> None:
    """Entry point of the ``xmtj`` console script."""
    app()


__all__ = ["app", "main"]
