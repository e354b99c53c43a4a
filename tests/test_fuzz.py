"""A seeded fuzz of small copies of the fixture folder (the hardening issue): byte flips,
truncation, odd Unicode and control bytes, duplicated headers, wrong types, renamed binaries;
FIFOs, links inside and leaving the folder, names with `#`, `|` and control characters.
Every mutated folder must be checked without a traceback or a hang, with every row accounted
for, nothing from outside the folder and no raw control character printed; a build of it must
either write a complete bundle or leave the previous one exactly as it was. Damaged
editions and bundles (the same mutations, and files emptied, made binary or not a JSON
object) are named by diff in one line and refused by publish."""

import base64
import csv
import io
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_RAW, Built

from pipeline.cli import main
from pipeline.ops.build import run_build
from pipeline.ops.editions import PublishRefused, copy_into_edition
from pipeline.report.bundle import BUNDLE_FILES
from pipeline.terminal import escaped

SEED = 20221231  # when pytest-randomly is off
CHECK_ROUNDS = int(os.environ.get("FUZZ_ROUNDS", "10"))  # longer runs: FUZZ_ROUNDS=150 (README: Tests)
BUILD_EVERY = 10  # a build of every 10th folder


def _seed(config: pytest.Config) -> int:
    """FUZZ_SEED, else this run's pytest-randomly seed (printed at the top of every run): each
    run of the suite tries other mutations, and `-p randomly --randomly-seed=N` repeats one."""
    if "FUZZ_SEED" in os.environ:
        return int(os.environ["FUZZ_SEED"])
    seed = config.getoption("randomly_seed", default=None)
    return seed if isinstance(seed, int) else SEED
# cells a spreadsheet would run: the CSVs the report attaches must carry them as text
FORMULAS = ['=HYPERLINK("http://example.com","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]
ODD_TEXT = ["👍", "\u202e", "\ufeff", "２０２２", "٣", "\x00", "$\\frac{a}$", "<script>", "合计", "\r", "\"", "𠮷", "\x1b[2J",
            "\x07"]
ODD_NAMES = ["周报#1", "a|b", "x\x1b[31my", "第#2周#", "..."]
ENTRY_KINDS = ["fifo", "link_in", "link_out", "folder_link_out", "odd_name"]
# what a link leaving the folder points at: it must never be read
SECRET = "外部泄露"


def _outside(folder: Path) -> Path:
    """A file and a folder beside the raw folder, outside it, holding the secret."""
    secret = folder.parent / "outside"
    (secret / "week").mkdir(parents=True, exist_ok=True)
    text = f"日期,媒体,级别,稿件数\n2022-03-02,{SECRET},区级,99\n"
    (secret / "secret.csv").write_text(text, encoding="utf-8")
    (secret / "week" / "w.csv").write_text(text, encoding="utf-8")
    return secret


def _mutate_entry(kind: str, target: Path, folder: Path, rng: random.Random) -> str:
    """A mutation of the folder's entries rather than of a file's bytes."""
    if kind == "fifo":
        target.unlink()
        os.mkfifo(target)
    elif kind == "link_in":
        others = [p for p in folder.rglob("*") if p != target]
        target.unlink()
        os.symlink(os.path.relpath(rng.choice(others), target.parent), target)
    elif kind == "link_out":
        target.unlink()
        os.symlink(_outside(folder) / rng.choice(["secret.csv", "week"]), target)
    elif kind == "folder_link_out":
        link = target.parent / f"第{rng.randrange(100)}周"
        if not os.path.lexists(link):
            os.symlink(_outside(folder) / "week", link)
    else:  # odd_name
        renamed = target.with_name(rng.choice(ODD_NAMES) + target.suffix)
        target.rename(renamed)
        return f"{kind} {target.relative_to(folder)} -> {renamed.name!r}"
    return f"{kind} {target.relative_to(folder)}"


def _mutate(folder: Path, rng: random.Random) -> str:
    """Apply one mutation to one file of `folder`; returns what was done (for the failure message)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    target = rng.choice(files)
    kind = rng.choice(["flip", "truncate", "odd_text", "duplicate_header", "wrong_type", "rename", "line_endings",
                       "formula", *ENTRY_KINDS])
    if kind in ENTRY_KINDS:
        return _mutate_entry(kind, target, folder, rng)
    if kind == "rename":
        suffix = rng.choice([".csv", ".xlsx", ".xls", ".txt", ".ods"])
        renamed = target.with_suffix(suffix)
        target.rename(renamed)
        return f"{kind} {target.relative_to(folder)} -> {renamed.name}"
    target.write_bytes(_mutated(target.read_bytes(), kind, rng))
    return f"{kind} {target.relative_to(folder)}"


def _mutated(original: bytes, kind: str, rng: random.Random) -> bytes:
    data = bytearray(original)
    if kind == "flip" and data:
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "truncate":
        data = data[: rng.randrange(len(data) + 1)]
    elif kind == "odd_text" and data:
        at = rng.randrange(len(data) + 1)
        data[at:at] = rng.choice(ODD_TEXT).encode("utf-8", errors="surrogatepass")
    elif kind == "duplicate_header":
        first, _, rest = bytes(data).partition(b"\n")
        data = bytearray(first + b"," + first.split(b",")[-1] + b"\n" + rest)
    elif kind == "wrong_type":
        data = bytearray(bytes(data).replace(b",1,", b",\xe5\x8d\x81,").replace(b"2022-", b"22/"))
    elif kind == "formula" and b"," in data:
        commas = [i for i, byte in enumerate(data) if byte == ord(",")]
        at = rng.choice(commas) + 1
        data[at:at] = rng.choice(FORMULAS).replace(",", " ").encode("utf-8")
    elif kind == "line_endings":
        data = bytearray(bytes(data).replace(b"\n", b"\r\n", rng.randint(1, 3)))
    return bytes(data)


def _formula_cells(html: str) -> list[str]:
    """Cells of the HTML's CSV downloads that a spreadsheet would run as a formula."""
    csvs = [base64.b64decode(d).decode("utf-8-sig") for d in re.findall(r"data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)", html)]
    return [cell for text in csvs for row in csv.reader(io.StringIO(text)) for cell in row if cell[:1] in "=+-@\t\r" and cell]


def _accounted(summary: str) -> None:
    """check's last line: 读取N行，计入a行，退回b行，重复c行，表格版式行d行: N = a + b + c + d."""
    read, counted, rejected, duplicates, layout = map(int, re.findall(r"(?:读取|计入|退回|重复|表格版式行)(\d+)行", summary))
    assert read == counted + rejected + duplicates + layout, summary


@pytest.fixture
def seeded(pytestconfig: pytest.Config) -> tuple[int, random.Random]:
    """This run's fuzz seed (see _seed) and a generator seeded with it."""
    seed = _seed(pytestconfig)
    return seed, random.Random(seed)


@pytest.mark.timeout(300)
def test_fuzzed_folders_are_checked_accounted_for_and_never_break_the_previous_bundle(
    tmp_path: Path, built: Built, capsys, seeded: tuple[int, random.Random]
) -> None:
    seed, rng = seeded
    out, warehouse, instance = built.out, str(built.warehouse), built.instance  # the fixture folder's bundle
    for round_ in range(CHECK_ROUNDS):
        raw = tmp_path / f"raw-{round_}"
        shutil.copytree(FIXTURE_RAW, raw)
        done = [_mutate(raw, rng) for _ in range(rng.randint(1, 3))]
        try:
            assert main(["check", "--raw-dir", str(raw), "--year", "2022"]) in (0, 1)
            printed, err = capsys.readouterr()
            assert "Traceback" not in err and SECRET not in printed
            assert all(escaped(line) == line for line in (printed + err).splitlines()), "a control character was printed"
            _accounted(err.splitlines()[-1])
            if round_ % BUILD_EVERY == BUILD_EVERY - 1:
                before = {name: (out / "2022" / name).read_bytes() for name in BUNDLE_FILES}
                outcome = run_build(raw, out, 2022, renderer="quarto", warehouse=warehouse, instance=instance)
                after = {name: (out / "2022" / name).read_bytes() for name in BUNDLE_FILES}
                assert outcome.success or after == before, outcome.summary
                assert not _formula_cells(after["progress-report.html"].decode("utf-8"))
        except BaseException as exc:
            raise AssertionError(f"seed {seed}, round {round_}: {done}") from exc
        shutil.rmtree(raw)


DAMAGE = ["flip", "truncate", "odd_text", "empty", "not_an_object", "binary"]


def _damage(edition: Path, rng: random.Random) -> tuple[str, bool]:
    """Damage one file of an edition or bundle; returns what was done and whether its bytes changed."""
    target = edition / rng.choice(BUNDLE_FILES)
    data = target.read_bytes()
    kind = rng.choice(DAMAGE)
    made = {"empty": b"", "not_an_object": b'["figures"]', "binary": rng.randbytes(64)}
    target.write_bytes(made[kind] if kind in made else _mutated(data, kind, rng))
    return f"{kind} {target.name}", target.read_bytes() != data


@pytest.mark.timeout(300)
def test_fuzzed_editions_and_bundles_are_named_by_diff_and_refused_by_publish(
    tmp_path: Path, built: Built, capsys, seeded: tuple[int, random.Random]
) -> None:
    seed, rng = seeded
    good = copy_into_edition(built.out, 2022, built.raw).edition
    for round_ in range(CHECK_ROUNDS):
        damaged = tmp_path / f"edition-{round_}"
        shutil.copytree(good, damaged)
        done, changed = _damage(damaged, rng)
        try:
            code = main(["diff", str(good), str(damaged)])
            out, err = capsys.readouterr()
            assert "Traceback" not in err and code in (0, 1)
            if code == 1:
                assert out == "" and err.count("\n") == 1 and err.startswith(f"错误：无法比较，版本已损坏：{damaged}/"), err
            # the manifest vouches for every other file; its own other fields are not checked
            assert code == 1 or not changed or done.endswith("manifest.json"), (done, out)
            bundle = tmp_path / f"out-{round_}"
            shutil.copytree(built.out / "2022", bundle / "2022", ignore=shutil.ignore_patterns("editions"))
            done_to_bundle, changed = _damage(bundle / "2022", rng)
            if changed and not done_to_bundle.endswith("manifest.json"):
                with pytest.raises(PublishRefused, match="报告文件与其清单不符"):
                    copy_into_edition(bundle, 2022, built.raw)
        except BaseException as exc:
            raise AssertionError(f"seed {seed}, round {round_}: {done}") from exc


# program.yaml: the keys it may have, and values of every shape a hand-edited file can take
PROGRAM_KEYS = ["name", "areas", "reform_areas", "media_levels", "units", "reporting", "template", "districts", "aera"]
PROGRAM_VALUES = [
    "西湖区", "", "  ", "社会治理", "\x1b[31m区", 42, 10**30, -1, 3.5, True, None, "2023-W18", "2023-13-45", "周五 17:00",
    "星期八 25:00", "../../etc/passwd", "𠮷" * 120,
]


def _program_value(rng: random.Random, depth: int = 0) -> str:
    """A YAML value: a scalar, a list or a mapping, now and then nested deep or made huge."""
    shape = rng.choice(["scalar", "list", "mapping", "deep", "many", "anchor"] if depth < 2 else ["scalar"])
    if shape == "scalar":
        return repr(rng.choice(PROGRAM_VALUES)) if rng.random() < 0.3 else str(rng.choice(PROGRAM_VALUES))
    if shape == "list":
        return "[" + ", ".join(_program_value(rng, depth + 1) for _ in range(rng.randint(0, 4))) + "]"
    if shape == "mapping":
        keys = rng.sample(["name", "aliases", "since", "deadline", "reminder", "skip_weeks", "x"], rng.randint(0, 3))
        return "{" + ", ".join(f"{k}: {_program_value(rng, depth + 1)}" for k in keys) + "}"
    if shape == "deep":
        levels = rng.choice([3, 11, 500])
        return "[" * levels + "1" + "]" * levels
    if shape == "many":
        return "[" + ", ".join(f"领域{i}" for i in range(rng.choice([31, 600, 5000]))) + "]"
    return "&a [1, *a]"


def _program_yaml(rng: random.Random) -> bytes:
    keys = rng.sample(PROGRAM_KEYS, rng.randint(1, 4))
    text = "".join(f"{key}: {_program_value(rng)}\n" for key in keys)
    if rng.random() < 0.1:
        text += text  # every key twice
    data = text.encode("utf-8")
    return _mutated(data, "flip", rng) if rng.random() < 0.1 else data


@pytest.mark.timeout(300)
def test_fuzzed_program_yaml_is_said_in_one_chinese_line_or_read(
    tmp_path: Path, capsys, seeded: tuple[int, random.Random]
) -> None:
    """Any program.yaml: check either reads the folder with it (every row accounted for) or says
    in one Chinese line what is wrong with it, naming the file; never a traceback, never a raw
    control character, whatever it nests, repeats or weighs."""
    seed, rng = seeded
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE_RAW, raw)
    for round_ in range(CHECK_ROUNDS * 3):
        (raw / "program.yaml").write_bytes(written := _program_yaml(rng))
        try:
            code = main(["check", "--raw-dir", str(raw), "--year", "2022"])
            out, err = capsys.readouterr()
            assert code in (0, 1) and "Traceback" not in err
            assert all(escaped(line) == line for line in (out + err).splitlines()), "a control character was printed"
            lines = err.splitlines()
            if out == "" and len(lines) == 1 and lines[0].startswith("错误："):
                assert code == 1 and "program.yaml" in lines[0], lines
            else:
                _accounted(lines[-1])
        except BaseException as exc:
            raise AssertionError(f"seed {seed}, round {round_}: {written[:300]!r}") from exc
