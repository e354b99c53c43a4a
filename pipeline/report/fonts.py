"""Finding the Noto CJK fonts the charts and the PDF are set in; a clear error when absent.

matplotlib is imported where a font is looked up, not at module load: every process that loads
the definitions (no-op builds, sensor ticks, the UI) imports this module, few of them render."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SANS = "Noto Sans CJK SC"
SERIF = "Noto Serif CJK SC"
# What a character no installed font has is printed as (listed in the appendix with its code).
REPLACEMENT = "□"
# The faces of an official document (GB/T 9704), each looked for by these names in order; the
# first installed is used, else the Noto face after it (the manifest says which was used). The
# free faces come last in their role: FandolFang is a 仿宋 (Makefile: from Debian's TeX Live).
OFFICIAL_FACES: dict[str, tuple[tuple[str, ...], str]] = {
    "body": (("FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "FandolFang"), SERIF),  # 仿宋
    "title": (("FZXiaoBiaoSong-B05S", "方正小标宋简体"), SERIF),  # 小标宋
    "hei": (("SimHei", "黑体"), SANS),  # 黑体
    "kai": (("KaiTi", "楷体", "KaiTi_GB2312", "楷体_GB2312", "AR PL KaitiM GB", "FandolKai"), SERIF),  # 楷体
}
# 小标宋 is a heavy 宋体: where it is missing, the title takes its Noto stand-in in the heaviest
# weight installed (Black with Debian's fonts-noto-cjk-extra, else Bold).
HEAVIEST = ("title",)
# fontconfig's weight scale -> the CSS/OpenType one Typst uses, and the weights' names
_FC_WEIGHTS = {0: 100, 40: 200, 50: 300, 55: 350, 75: 400, 80: 400, 100: 500, 180: 600, 200: 700, 205: 800, 210: 900}
_WEIGHT_NAMES = {100: "Thin", 200: "ExtraLight", 300: "Light", 350: "DemiLight", 500: "Medium", 600: "SemiBold",
                 700: "Bold", 800: "ExtraBold", 900: "Black"}


@dataclass(frozen=True)
class Face:
    """A font family in one weight (CSS scale: 400 regular, 900 black)."""

    family: str
    weight: int = 400

    @property
    def name(self) -> str:
        """As a reader names the face: the family, and the weight unless regular (Noto Serif CJK SC Black)."""
        return f"{self.family} {_WEIGHT_NAMES[self.weight]}" if self.weight in _WEIGHT_NAMES else self.family


class MissingFontError(RuntimeError):
    """No CJK font is installed: Chinese text would print as empty boxes."""


def _fc_match(family: str) -> tuple[Path, int] | None:
    """The file and face index fontconfig serves for `family`, if it really is that family."""
    found = _fc_family(family)
    return (found[1], found[2]) if found else None


@cache
def _fc_family(family: str) -> tuple[tuple[str, ...], Path, int] | None:
    """Every family name fontconfig knows the face of `family` by, its file and face index."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(
        ["fc-match", "-f", "%{family}\n%{file}\n%{index}", family], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    # fc-match always answers with *some* font; only trust it when the family matches.
    if len(found) == 3 and family in (names := tuple(found[0].split(","))):
        return names, Path(found[1]), int(found[2] or 0)
    return None


@cache
def typst_family(family: str) -> str:
    """The name Typst knows `family` by: fontconfig may prefer another of the face's names
    (it calls FandolFang what Typst, reading the font's own family name, calls FandolFang R)."""
    import typst  # noqa: PLC0415 - only a process that compiles a PDF asks

    found = _fc_family(family)
    if found is None:
        return family
    names, file, _ = found
    known = set(typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                            font_paths=[str(file.parent)]).families())
    return next((name for name in (family, *names) if name in known), family)


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


def _heaviest_weight(family: str) -> int:
    """The heaviest weight of `family` that fontconfig lists (400 when it lists none)."""
    if shutil.which("fc-list") is None:
        return 400
    listed = subprocess.run(["fc-list", f":family={family}", "weight"], capture_output=True, text=True,
                            check=False).stdout
    # "weight=210", or "weight=[0 210]" for a variable font
    found = [int(n) for line in listed.splitlines() for n in line.partition("=")[2].strip("[]").split() if n.isdigit()]
    return max((_FC_WEIGHTS.get(n, 400) for n in found), default=400)


@cache
def official_faces() -> dict[str, Face]:
    """Role (body, title, hei, kai) -> the face the PDF sets it in."""
    chosen = {}
    for role, (names, fallback) in OFFICIAL_FACES.items():
        official = next((name for name in names if _fc_match(name) is not None), None)
        if official is not None:
            chosen[role] = Face(official)
        else:
            chosen[role] = Face(fallback, _heaviest_weight(fallback) if role in HEAVIEST else 400)
    return chosen


def font_dirs(text: str = "") -> list[Path]:
    """Folders holding the CJK fonts and the official faces found, for Typst's font search
    path, and those of the fonts that draw what these lack in `text` (Typst falls back to
    them glyph by glyph)."""
    official = {found[0].parent for face in official_faces().values() if (found := _fc_match(face.family))}
    fallbacks = {face.parent for c in missing_glyphs(text) if (face := _fallback_face(c)) is not None}
    return sorted({font_file(SANS).parent, font_file(SERIF).parent} | official | fallbacks)
