"""The programme's vocabulary (program.yaml) as pydantic models: its name, work and reform areas,
media levels, the roster of member units with their aliases, the reporting rules; the defaults."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from pipeline.contract.limits import (
    MAX_ALIASES,
    MAX_AREAS,
    MAX_DISTRICTS,
    MAX_MEDIA_LEVELS,
    MAX_PROGRAM_NAME,
    MAX_REFORM_AREAS,
    MAX_TEMPLATE_NAME,
    MAX_UNITS,
    bounded_tuple,
    refuse_repeats,
    repeated,
)
from pipeline.contract.reporting import MODEL, Reporting

PROGRAM_FILE = "program.yaml"
# The reference's vocabulary (Xihu 2022); its name is not a default: a programme names itself.
DEFAULT_AREAS = ("经济高质量发展", "收入分配", "区域协调发展", "公共服务优质共享", "社会文化", "生态文明建设", "社会治理")
DEFAULT_REFORM_AREAS = ("扩中提低", "缩小地区差距", "缩小城乡差距", "公共服务优质共享", "精神生活共同富裕", "共同富裕基本单元改革")
DEFAULT_MEDIA_LEVELS = ("中央", "省级", "市级", "区级")


def normalised(value: object) -> object:
    """As cells are read: NFKC, trimmed, inner whitespace collapsed (text only; other values are
    left for the type check to refuse)."""
    return " ".join(unicodedata.normalize("NFKC", _printable(value)).split()) if isinstance(value, str) else value


def _trimmed(value: object) -> object:
    return _printable(value).strip() if isinstance(value, str) else value


def _printable(text: str) -> str:
    """A name is printed in titles, tables and terminals: a control character (\\x01, ESC) in it is refused."""
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        raise PydanticCustomError("control_character", "control character", {})
    return text


# A name as it is matched against cells; the programme's own name and the template keep their spelling.
# (The length is the text's once normalised: the validator written after the constraint runs first.)
Word = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PROGRAM_NAME), BeforeValidator(normalised)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PROGRAM_NAME), BeforeValidator(_trimmed)]
FileName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEMPLATE_NAME), BeforeValidator(_trimmed)]


def _words(limit: int) -> Any:
    """A list of names: at most `limit`, each once; a list written empty is a mistake (CONTRACT)."""
    return Annotated[tuple[Word, ...], BeforeValidator(bounded_tuple(limit)), Field(min_length=1), AfterValidator(repeated)]


class RosterEntry(BaseModel):
    """A member unit: its name, and the other spellings its submissions use."""

    model_config = MODEL

    name: Word
    aliases: _words(MAX_ALIASES) = ()

    @model_validator(mode="before")
    @classmethod
    def _a_name_alone(cls, value: object) -> object:
        return {"name": value} if isinstance(value, str) else value


def _roster_once(units: tuple[RosterEntry, ...]) -> tuple[RosterEntry, ...]:
    """Every name and alias of the roster names one unit."""
    refuse_repeats([word for unit in units for word in (unit.name, *unit.aliases)])
    return units


Roster = Annotated[
    tuple[RosterEntry, ...], BeforeValidator(bounded_tuple(MAX_UNITS)), Field(min_length=1), AfterValidator(_roster_once)
]


class Program(BaseModel):
    """The programme: what rows may say (areas, levels), who reports (units), when (reporting)."""

    model_config = MODEL

    name: Title = ""  # empty (no name): the report names no district
    areas: _words(MAX_AREAS) = DEFAULT_AREAS
    reform_areas: _words(MAX_REFORM_AREAS) = DEFAULT_REFORM_AREAS
    media_levels: _words(MAX_MEDIA_LEVELS) = DEFAULT_MEDIA_LEVELS
    units: Roster = ()  # the roster; empty: any unit may report, none is owed
    reporting: Reporting = Reporting()
    template: FileName = ""  # the office's own report template, a file in the raw folder (README)
    districts: _words(MAX_DISTRICTS) = ()  # a roll-up's districts, in the report's order

    @property
    def unit_names(self) -> tuple[str, ...]:
        """The roster's names, in its order."""
        return tuple(unit.name for unit in self.units)

    def vocabulary(self, key: str) -> tuple[str, ...]:
        """A list of names a column's values must come from: areas, reform_areas, media_levels."""
        return getattr(self, key)

    def as_dict(self) -> dict[str, Any]:
        """Every key with its value, as JSON would hold it (what a build's fingerprint covers)."""
        return self.model_dump(mode="json")
