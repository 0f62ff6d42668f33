"""The one place where anything that goes wrong becomes one Chinese line and an exit code.

- a domain error (``XmtjError``): ``错误：…`` and exit 1;
- a command-line mistake (typer/click's usage errors, in English there): translated, exit 2;
- anything else is a defect: one line naming the command and what failed, exit 1; the traceback only
  with ``XMTJ_DEBUG=1``;
- Ctrl-C: ``已中断``, exit 130.

Every command runs inside ``XmtjGroup.main``, so no command can forget this.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

from typer.core import TyperCommand, TyperGroup

from xmtj.textsafe import visible

# typer's click writes its own parts of a help screen in English, with no translation hook; the help is
# put together as text, so these words are replaced in it (and in the usage line of an error).
HELP_WORDS = (
    (r"Usage: ", "用法："),
    (r" \[OPTIONS\]", " [选项]"),
    (r" COMMAND \[ARGS\]\.\.\.", " 命令 [参数]..."),
    (r" \[ARGS\]\.\.\.", " [参数]..."),
    (r"\nOptions:\n", "\n选项：\n"),
    (r"\nArguments:\n", "\n参数：\n"),
    (r"\nCommands:\n", "\n命令：\n"),
    (r"Show\s+this\s+message\s+and\s+exit\.", "显示本帮助并退出。"),
    (r"(\[|; )env\s+var:\s*", r"\1环境变量："),
    (r"(\[|; )default:\s*", r"\1默认："),
    (r"(\[|; )required\]", r"\1必填]"),
    (r"\(dynamic\)", "（动态）"),
    (r"\(deprecated\)", "（已停用）"),
    (r"<path>", "<路径>"),
    (r"<str>", "<文字>"),
    (r"<int(eger)?( range)?>", "<整数>"),
    (r"<float( range)?>", "<数字>"),
    (r"(\d+)<=x<=(\d+)", r"\1—\2"),
)
_HELP_PATTERNS = tuple((re.compile(english), chinese) for english, chinese in HELP_WORDS)


def chinese_help(text: str) -> str:
    """A help screen or usage line in Chinese (``HELP_WORDS``; a phrase the help wrapped over two lines
    too)."""
    for english, chinese in _HELP_PATTERNS:
        text = english.sub(chinese, text)
    return text


class ChineseHelp:
    """Help and usage in Chinese, for every command and group of the app."""

    def get_help(self, ctx: Any) -> str:
        return chinese_help(super().get_help(ctx))  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        return chinese_help(super().get_usage(ctx))  # type: ignore[misc]


class XmtjCommand(ChineseHelp, TyperCommand):
    """A command whose help screen is in Chinese."""


class XmtjSubGroup(ChineseHelp, TyperGroup):
    """A command group (``xmtj issue``) whose help screen is in Chinese."""


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _choices(text: str) -> str:
    return "、".join(_unquote(c) for c in text.split(","))


def _value_message(message: str) -> str:
    patterns = (
        (re.compile(r"^(?P<v>.+) is not one of (?P<c>.+)\.$", re.S), "“{v}”不是以下之一：{c}"),
        (re.compile(r"^(?P<v>.+) is not a valid integer( range)?\.$", re.S), "“{v}”不是整数"),
        (re.compile(r"^(?P<v>.+) is not a valid float( range)?\.$", re.S), "“{v}”不是数字"),
        (re.compile(r"^(?P<v>.+) is not a valid boolean\..*$", re.S), "“{v}”不是是/否值"),
        (re.compile(r"^(?P<v>.+) is not in the range (?P<r>.+)\.$", re.S), "“{v}”超出范围（{r}）"),
        (re.compile(r"^(?P<v>.+) is not a valid (?P<t>.+)\.$", re.S), "“{v}”不是有效的 {t}"),
    )
    for pattern, words in patterns:
        match = pattern.match(message.strip())
        if match:
            parts = {k: _unquote(v) for k, v in match.groupdict().items()}
            if "c" in parts:
                parts["c"] = _choices(match["c"])
            if "r" in parts:
                parts["r"] = re.sub(r"^(\S+)<=x<=(\S+)$", r"\1—\2", parts["r"])
            return words.format(**parts)
    return message


def _hint(exc: Any) -> str:
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")] or list(getattr(param, "opts", []))
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.human_readable_name)
    return " / ".join(opts) or str(param.name)


def usage_message(exc: Exception) -> str:
    """A typer/click usage error in the office's words."""
    from typer._click import exceptions as ce

    if isinstance(exc, ce.NoSuchOption):
        near = f"；是否应为 {'、'.join(sorted(exc.possibilities))}？" if exc.possibilities else ""
        return f"没有这个选项：{exc.option_name}{near}"
    if isinstance(exc, ce.MissingParameter):
        what = "参数" if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "argument" else "选项"
        return f"缺少{what} {_hint(exc)}".rstrip()
    if isinstance(exc, ce.BadParameter):
        return f"{_hint(exc) or '参数'} 的值无效：{_value_message(exc.message)}"
    message = exc.format_message() if isinstance(exc, ce.ClickException) else str(exc)
    match = re.match(r"^Option '(.+)' requires an argument\.?$", message) or re.match(
        r"^Option '(.+)' requires \d+ arguments\.?$", message
    )
    if match:
        return f"选项 {match[1]} 后面需要一个值"
    match = re.match(r"^No such command '(.+)'\.$", message)
    if match:
        return f"没有这个命令：{match[1]}"
    match = re.match(r"^Got unexpected extra arguments? \((.*)\)$", message)
    if match:
        return f"多余的参数：{match[1]}"
    return f"命令行有误（{message}）"


GROUPS = ("issue", "meeting", "letter", "project", "member", "dispatch", "hook", "import")  # commands with sub-commands


def _command_name(args: list[str]) -> str:
    """``xmtj status``, ``xmtj issue list``: the command as typed, without its values."""
    words: list[str] = []
    for arg in args:
        if arg.startswith("-"):
            break
        words.append(arg)
    words = words[:2] if words[:1] and words[0] in GROUPS else words[:1]
    return " ".join(["xmtj", *words])


def _say(text: str) -> None:
    sys.stderr.write(visible(text) + "\n")
    sys.stderr.flush()


def _domain_error() -> type[Exception]:
    """``XmtjError``, imported only when something failed (``except`` evaluates it only then)."""
    from xmtj.problems import XmtjError

    return XmtjError


def quiet_stdout() -> None:
    """Point standard output at /dev/null so that the interpreter's last flush finds no broken pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class XmtjGroup(ChineseHelp, TyperGroup):
    """The top-level group: runs the command and turns every failure into one line (see the module doc)."""

    def list_commands(self, ctx: Any) -> list[str]:
        """In the order of ``xmtj.cli.SUMMARIES`` (what ``xmtj --help`` lists), however the modules that
        register them were imported."""
        from xmtj.cli import SUMMARIES

        order = list(SUMMARIES)
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from typer._click import exceptions as ce
        from typer.exceptions import Abort

        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, False, **extra)
        except Abort:
            _say("已取消")
            sys.exit(1)
        except ce.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except ce.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "xmtj"
            _say(f"错误：{usage_message(exc)}（用 {where} --help 查看用法）")
            sys.exit(exc.exit_code)
        except _domain_error() as exc:
            _say(f"错误：{exc}")
            sys.exit(1)
        except KeyboardInterrupt:
            _say("已中断")
            sys.exit(130)
        except BrokenPipeError:
            quiet_stdout()  # ``xmtj status | head -1``: the reader has gone; end quietly, as click does
            sys.exit(1)
        except OSError as exc:  # the system said no (a full disk, a file taken away meanwhile …): its words
            from xmtj.problems import os_words

            where = f"{visible(str(exc.filename))}：" if exc.filename else ""
            _say(f"错误：{where}{os_words(exc)}")
            sys.exit(1)
        except Exception as exc:
            if os.environ.get("XMTJ_DEBUG"):
                import traceback

                traceback.print_exc()
            detail = str(exc).strip().splitlines()
            _say(
                f"错误：{_command_name(argv)} 未能完成（程序内部错误 {type(exc).__name__}"
                f"{'：' + detail[0] if detail else ''}）。"
                "请把这一行报告给维护人员，设置 XMTJ_DEBUG=1 可看到详细信息。"
            )
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)
