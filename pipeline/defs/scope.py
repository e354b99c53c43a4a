"""The two copies of the asset graph, and what one partition of either reads and writes.

A single programme's graph has the asset keys as they are and year partitions. A roll-up's
districts share one graph under the key prefix `district/`, partitioned by district x year:
each district partition reads its own folder of the raw folder, writes its own DuckDB file
(DuckDB allows one writer per file; a shared file would serialise the districts) and its own
bundles under <output>/<district>/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.contract import Program, load_program
from pipeline.defs.partitions import DISTRICT_YEARS, YEARS
from pipeline.defs.resources import WAREHOUSE_POOL, ProjectPaths
from pipeline.intake.districts import district_program


@dataclass(frozen=True)
class Graph:
    prefix: tuple[str, ...]
    partitions_def: dg.PartitionsDefinition
    group_prefix: str
    # the concurrency pool of the steps that write the warehouse (one file, one writer); a
    # district's file has one writer because the run queue admits one run per district
    # (dagster.yaml, tag dagster/partition/district)
    pool: str | None

    def key(self, name: str) -> dg.AssetKey:
        return dg.AssetKey([*self.prefix, name])

    def op_name(self, name: str) -> str:
        return "_".join([*self.prefix, name])

    def group(self, name: str) -> str:
        return f"{self.group_prefix}{name}"


SINGLE = Graph((), YEARS, "", WAREHOUSE_POOL)
DISTRICT = Graph(("district",), DISTRICT_YEARS, "district_", None)


def district_database(database: str, district: str) -> str:
    """A district's warehouse file: <warehouse>.districts/<district>.duckdb beside the warehouse."""
    path = Path(database)
    return str(path.with_name(f"{path.stem}.districts") / f"{district}.duckdb")


def partition_key(year: int, district: str | None = None) -> str:
    """The partition of a year (single programme) or of a district's year (a MultiPartitionKey:
    its dimensions are read with `keys_by_dimension`, never by splitting the key)."""
    return str(year) if district is None else dg.MultiPartitionKey({"district": district, "year": str(year)})


@dataclass(frozen=True)
class Scope:
    """One partition: the year, the programme's own raw folder, where its bundles go, its warehouse."""

    year: int
    district: str | None
    raw_path: Path
    output_path: Path
    database: str
    root: Path  # the raw folder given: the programme's, or the roll-up's

    @property
    def partition(self) -> str:
        return partition_key(self.year, self.district)

    def program(self) -> Program:
        return load_program(self.raw_path) if self.district is None else district_program(self.root, self.district)

    def warehouse(self, duckdb: DuckDBResource) -> DuckDBResource:
        """The partition's warehouse: the configured one, or the district's own file beside it."""
        if self.database == duckdb.database:
            return duckdb
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        return DuckDBResource(database=self.database, connection_config=duckdb.connection_config)

    @property
    def bundle(self) -> Path:
        return self.output_path / str(self.year)


def scope_of(partition: str, project: ProjectPaths, database: str) -> Scope:
    """The scope of a partition key of either graph (a district's: a MultiPartitionKey, as a
    run's context and `partition_key` give it)."""
    if isinstance(partition, dg.MultiPartitionKey):
        district, year = partition.keys_by_dimension["district"], partition.keys_by_dimension["year"]
        return Scope(int(year), district, project.raw_path / district, project.output_path / district,
                     district_database(database, district), project.raw_path)
    return Scope(int(partition), None, project.raw_path, project.output_path, database, project.raw_path)
