"""The shipped demo ledger is exactly what its script makes, and reproduces the article's figures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import REPO


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_demo", REPO / "scripts" / "make_demo.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def files(root: Path) -> dict[str, bytes]:
    out = {"xmtj.yaml": (root / "xmtj.yaml").read_bytes()}
    for kind in ("projects", "issues", "meetings", "letters"):
        for path in sorted((root / "data" / kind).glob("*.yaml")):
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def test_demo_is_regenerated_byte_for_byte(tmp_path: Path) -> None:
    script = load_script()
    script.write(tmp_path, 2021)
    assert files(tmp_path) == files(REPO)


def test_demo_reproduces_the_article() -> None:
    assert load_script().verify(REPO) == []


def test_demo_has_the_real_helong_project() -> None:
    text = (REPO / "data/projects/HJ2021-001.yaml").read_text(encoding="utf-8")
    assert "total_investment: 46800" in text
    assert "年产18800吨高纯度对甲酚、600吨邻甲酚、600吨苯酚、40500吨粗品亚硫酸钠、8500吨甲苯磺酸液" in text
    assert "location: 河津经济技术开发区" in text
