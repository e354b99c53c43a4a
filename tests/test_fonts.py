"""The faces the PDF is set in: the official ones where installed, else free ones in the same role."""

from __future__ import annotations

import subprocess

import pytest

from pipeline.report import fonts


@pytest.mark.parametrize(
    ("listed", "weight"),
    [
        ("weight=80\nweight=200\n", 700),  # Regular and Bold: Bold
        ("weight=80\nweight=210\nweight=40\n", 900),  # with fonts-noto-cjk-extra: Black
        ("weight=[0 210]\n", 900),  # a variable font lists its range
        ("", 400),  # nothing listed: regular
    ],
)
def test_the_title_takes_the_heaviest_weight_installed(
    listed: str, weight: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts.subprocess, "run",
                        lambda *args, **kwargs: subprocess.CompletedProcess(args, 0, stdout=listed))
    assert fonts._heaviest_weight("Noto Serif CJK SC") == weight


@pytest.mark.parametrize(
    ("face", "name"),
    [(fonts.Face("FandolFang"), "FandolFang"), (fonts.Face("Noto Serif CJK SC", 900), "Noto Serif CJK SC Black"),
     (fonts.Face("Noto Serif CJK SC", 700), "Noto Serif CJK SC Bold")],
)
def test_a_face_is_named_with_its_weight_unless_regular(face: fonts.Face, name: str) -> None:
    assert face.name == name


def test_the_body_and_title_are_not_the_same_noto_face() -> None:
    """With the set-up's fonts (FandolFang, fonts-noto-cjk-extra) the body is a 仿宋 and the
    title a heavier face than the body; both are names Typst knows."""
    faces = fonts.official_faces()
    assert faces["body"].family in fonts.OFFICIAL_FACES["body"][0]
    assert faces["title"].family in fonts.OFFICIAL_FACES["title"][0] or faces["title"].weight == 900
    import typst

    for face in (faces["body"], faces["title"]):
        found = fonts._fc_match(face.family)
        assert found is not None
        known = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                            font_paths=[str(found[0].parent)]).families()
        assert fonts.typst_family(face.family) in known
