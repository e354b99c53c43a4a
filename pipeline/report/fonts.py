"""Finding the Noto CJK fonts the charts and the PDF are set in; a clear error when absent.

matplotlib is imported where a font is looked up, not at module load: every process that loads
the definitions (no-op builds, sensor ticks, the UI) imports this module, few of them render."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

SANS = "Noto Sans CJK SC"
SERIF = "Noto Serif CJK SC"
# What a character no installed font has is printed as (listed in the appendix with its code).
REPLACEMENT = "□"
# The faces of an official document (GB/T 9704), each looked for by these names in order; the
# first installed is used, else the Noto face after it (the manifest says which was used).
OFFICIAL_FACES: dict[str, tuple[tuple[str, ...], str]] = {
    "body": (("FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "FandolFang"), SERIF),  # 仿宋
    "title": (("FZXiaoBiaoSong-B05S", "方正小标宋简体"), SERIF),  # 小标宋
    "hei": (("SimHei", "黑体"), SANS),  # 黑体
    "kai": (("KaiTi", "楷体", "KaiTi_GB2312", "楷体_GB2312", "AR PL KaitiM GB", "FandolKai"), SERIF),  # 楷体
}


class MissingFontError(RuntimeError):
    """No CJK font is installed: Chinese text would print as empty boxes."""


def _fc_match(family: str) -> tuple[Path, int] | None:
    """The file and face index fontconfig serves for `family`, if it really is that family."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(
        ["fc-match", "-f", "%{family}\n%{file}\n%{index}", family], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    # fc-match always answers with *some* font; only trust it when the family matches.
    if len(found) == 3 and family in found[0].split(","):
        return Path(found[1]), int(found[2] or 0)
    return None


@cache
def _face(family: str) -> tuple[Path, int]:
    """The file and face index (.ttc files hold several) of `family`, known to matplotlib."""
    from matplotlib import font_manager  # noqa: PLC0415

    for entry in font_manager.fontManager.ttflist:
        if entry.name == family and entry.weight in (400, "normal", "regular"):
            return Path(entry.fname), int(getattr(entry, "index", 0) or 0)
    found = _fc_match(family)
    if found is None or not found[0].exists():
        raise MissingFontError(
            f"font '{family}' is not installed; Chinese text needs it "
            "(Debian/Ubuntu: apt-get install fonts-noto-cjk)"
        )
    # A font installed after matplotlib built its cache is unknown to it until added.
    font_manager.fontManager.addfont(str(found[0]))
    return found


def font_file(family: str) -> Path:
    """The font file of `family`, registered with matplotlib so charts can use it."""
    return _face(family)[0]


@cache
def _covered(family: str) -> frozenset[int]:
    path, index = _face(family)
    from matplotlib.ft2font import FT2Font  # noqa: PLC0415

    return frozenset(FT2Font(str(path), face_index=index).get_charmap())


@cache
def _covered_by_cjk() -> frozenset[int]:
    return _covered(SERIF) | _covered(SANS)


def missing_glyphs(text: str) -> list[str]:
    """Characters of `text` that neither CJK font can draw: they would print as boxes."""
    covered = _covered_by_cjk()
    return sorted(c for c in set(text) if not c.isspace() and c.isprintable() and ord(c) not in covered)


@cache
def _fallback_face(char: str) -> Path | None:
    """An installed font file (any family) that has `char`, as fontconfig knows them."""
    if shutil.which("fc-list") is None:
        return None
    found = subprocess.run(["fc-list", f":charset={ord(char):x}", "file"], capture_output=True, text=True,
                           check=False).stdout.split()
    files = sorted(Path(f.rstrip(":")) for f in found if f.rstrip(":"))
    return files[0] if files else None


def undrawable(text: str) -> list[str]:
    """Characters of `text` that no installed font has (an emoji without an emoji font)."""
    return [c for c in missing_glyphs(text) if _fallback_face(c) is None]


def drawable(text: str) -> str:
    """`text` with every character no installed font has replaced by REPLACEMENT."""
    missing = set(undrawable(text))
    return "".join(REPLACEMENT if c in missing else c for c in text) if missing else text


@cache
def official_faces() -> dict[str, str]:
    """Role (body, title, hei, kai) -> the font family the PDF sets it in."""
    chosen = {}
    for role, (names, fallback) in OFFICIAL_FACES.items():
        chosen[role] = next((name for name in names if _fc_match(name) is not None), fallback)
    return chosen


def font_dirs(text: str = "") -> list[Path]:
    """Folders holding the CJK fonts and the official faces found, for Typst's font search
    path, and those of the fonts that draw what these lack in `text` (Typst falls back to
    them glyph by glyph)."""
    official = {found[0].parent for family in official_faces().values() if (found := _fc_match(family))}
    fallbacks = {face.parent for c in missing_glyphs(text) if (face := _fallback_face(c)) is not None}
    return sorted({font_file(SANS).parent, font_file(SERIF).parent} | official | fallbacks)
