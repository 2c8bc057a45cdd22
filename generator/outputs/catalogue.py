"""Which compilations (汇编) there are: one for every theme, region (with the regions under it) and
year that holds a record the build shows, with its title, its records in the order its cover
states, and its two files; and which of them the build writes into the site (PREBUILT): the others
are made on demand with `python -m generator compile`. Pages link to them and the take-aways make
them, both from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import reads
from ..model.link import Brief, Graph
from ..model.ordering import Ordering
from .paths import compilation_files

KINDS = ("theme", "region", "year")
FORMS = ("html", "docx")  # the print page and the Word document

# What the build writes into the site, by scope (a theme, a year, or a region's level): the Word
# document of each province. A compilation copies each record it holds whole, about 5.5 KB a copy
# (3.6 KB of print page, 1.9 KB of Word document), and a record is held by its themes', its year's
# and each of its regions' compilations; the rest of the site already weighs 47.8 KB a record at
# 10,000 published records, against a budget of 50 (README, Compilations, has the measurements and
# what each other choice would weigh). Everything else is one command away (`command`), and the
# region and theme pages and the compilation index say which.
PREBUILT: dict[str, tuple[str, ...]] = {"province": ("docx",)}
ORDER = "按地区排列（省、市、县依次按拼音排序，本级记录在下辖地区之前），同一地区按日期先后排列（同日按记录编号）"


@dataclass(frozen=True)
class Compilation:
    """One compilation: what it gathers (a theme id, a region code or a year) and its title."""

    kind: str  # "theme", "region" or "year"
    key: str
    name: str  # 技能竞赛, 浙江省金华市婺城区, 2021年
    title: str  # 技能竞赛主题经验做法汇编

    @property
    def html(self) -> str:
        return compilation_files(self.kind, self.key)[0]

    @property
    def docx(self) -> str:
        return compilation_files(self.kind, self.key)[1]

    @property
    def command(self) -> str:
        """The command line that makes it on demand (a Word document; `--out NAME.html` for the print page)."""
        return f"python -m generator compile --{self.kind} {self.key}"

    @property
    def file_name(self) -> str:
        """The name the command line gives the file when no --out is given (without suffix)."""
        return re.sub(r'[\\/:*?"<>|\s]+', "_", self.title)


class Catalogue:
    def __init__(self, graph: Graph, ordering: Ordering):
        self.graph, self.ordering = graph, ordering

    def theme(self, theme_id: str) -> Compilation:
        name = self.graph.themes[theme_id].name
        return Compilation("theme", theme_id, name, f"{name}主题经验做法汇编")

    def region(self, code: str) -> Compilation:
        name = "".join(r.name for r in self.ordering.region_chain(code))
        return Compilation("region", code, name, f"{name}经验做法汇编")

    def year(self, year: int) -> Compilation:
        return Compilation("year", str(year), f"{year}年", f"{year}年经验做法汇编")

    def themes(self) -> list[Compilation]:
        """The themes that hold a record, in the order of the theme index's tree."""
        out: list[Compilation] = []

        def walk(ids: Iterable[str]) -> None:
            for theme_id in self.ordering.sorted_themes(ids):
                if self.ordering.records_by_theme(theme_id):
                    out.append(self.theme(theme_id))
                walk(self.graph.theme_children.get(theme_id, ()))

        walk(t for t, theme in self.graph.themes.items() if not theme.parent)
        return out

    def regions(self) -> list[Compilation]:
        return [self.region(code) for code in self.ordering.regions_with_records()]

    def years(self) -> list[Compilation]:
        return [self.year(y) for y in self.ordering.years_with_records()]

    def all(self) -> list[Compilation]:
        return [*self.themes(), *self.regions(), *self.years()]

    def forms(self, c: Compilation) -> tuple[str, ...]:
        """The files the build writes for it ("html", "docx"): none when it is made on demand only."""
        scope = self.graph.regions[c.key].level if c.kind == "region" else c.kind
        return PREBUILT.get(scope, ())

    def prebuilt(self) -> list[Compilation]:
        """The compilations the build writes into the site, in the order of `all`."""
        return [c for c in self.all() if self.forms(c)]

    def files(self, c: Compilation) -> list[str]:
        """The paths in docs/ of the files the build writes for it."""
        return [c.html if form == "html" else c.docx for form in self.forms(c)]

    def find(self, kind: str, key: str) -> Compilation | None:
        """The compilation of this theme id, region code or year; None when there is none to make."""
        if kind == "theme" and key in self.graph.themes and self.ordering.records_by_theme(key):
            return self.theme(key)
        if kind == "region" and key in self.graph.regions and self.ordering.count_under(key):
            return self.region(key)
        if kind == "year" and key.isdigit() and self.ordering.records_in_year(int(key)):
            return self.year(int(key))
        return None

    def records(self, c: Compilation) -> list[Brief]:
        """The records it holds, in the order its cover states (ordering.compilation_order)."""
        if c.kind == "theme":
            held = self.ordering.records_by_theme(c.key)
        elif c.kind == "region":
            held = self.ordering.held_under(c.key)
        else:
            held = self.ordering.records_in_year(int(c.key))
        return self.ordering.compilation_order(held)

    def held(self, c: Compilation) -> list[Brief]:
        """The records it holds, read with what their pages made (their blocks): what a compilation's
        files are put together from."""
        group = {"theme": reads.theme, "region": reads.region, "year": reads.year}[c.kind](c.key)
        self.ordering.reads.add(reads.made(group))
        return self.records(c)

    def records_in(self, files: Iterable[str]) -> set[str]:
        """The ids of the records held by the compilations these files (paths in docs/) belong to."""
        wanted = set(files)
        return {b.id for c in self.prebuilt() if not wanted.isdisjoint(self.files(c)) for b in self.records(c)}

    def count(self, c: Compilation) -> int:
        if c.kind == "theme":
            return len(self.ordering.records_by_theme(c.key))
        if c.kind == "region":
            return self.ordering.count_under(c.key)
        return len(self.ordering.records_in_year(int(c.key)))
