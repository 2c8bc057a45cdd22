"""After any sequence of editor actions, the incremental build equals a clean build, byte for byte.

Two Hypothesis state machines play an editor on a small project (8 synthetic records over two
provinces, tests/projects.py): they add records (a copy of another under a new id), edit a
record's title, text (summary or narrative), region (another county of the regions files),
date (another year, so another year's compilation), themes, a figure or status, link a case to a practice, rename a record's file and id, delete a
record, rename a region or a theme, break a record (a YAML syntax error or an unknown theme) and
later fix it. A rename or a delete also updates the records that name the record, as an editor
would. While a record is broken, nothing is renamed or deleted (the fix restores the file as it
was, which must still be valid).

After every step the project is built again, and:
- with valid data/, docs/ (and site/) equal a clean build of the same data/ in a fresh folder,
  file for file and byte for byte, and every docs/ file whose bytes did not change kept its
  mtime;
- with a broken record, the build raises DataError and nothing in docs/ or site/ changed, not
  even an mtime.

- SiteLoop runs `build_site` (MkDocs and the search index too) and compares docs/ and site/;
  each step takes seconds, so it runs few examples.
- DocsLoop runs `generate` only and compares docs/; it is cheap and runs more, with listings shown
  whole up to four entries (ordering.WHOLE_LISTING) and A–Z listing pages of two entries
  (ordering.PART_SIZE), so that listings gain and lose their letter pages and letters are cut into
  parts that move.
- PreviewDocsLoop does the same for the preview (`build --preview`, `serve`), which shows draft and
  reviewed records too, each with a banner.

No file may differ from a clean build; SOURCE_DATE_EPOCH is fixed so that MkDocs'
sitemap.xml.gz carries the same time in both.

The default budget takes about two minutes. A longer run, for a change to the build's internals:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_stateful.py

(see BUDGETS below; Hypothesis keeps no example database here, so runs leave no files behind).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from projects import (
    CleanBuilds,
    Project,
    assert_like_clean,
    assert_unchanged_files_keep_their_mtime,
    assert_untouched,
    change_setting,
    read_yaml,
    stamps,
    write_yaml,
)

from generator.sources.problems import DataError

# (examples, steps per example) for each machine, by HYPOTHESIS_PROFILE.
BUDGETS = {
    "default": {"site": (3, 5), "docs": (6, 10)},
    "long": {"site": (25, 15), "docs": (200, 30)},
}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")


def budget(machine: str) -> settings:
    examples, steps = BUDGETS.get(PROFILE, BUDGETS["default"])[machine]
    return settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


WORDS = ["技能", "工匠", "驿站", "班组", "學徒", "劳模", "创新", "工作室", "职工", "AI", "<b>粗体</b>"]
TITLES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map("".join)
SENTENCES = st.sampled_from(["新增技能培训两期。", "职工满意度明显提高。", "该做法已在全县推广。", "“工匠学院”挂牌成立。"])
FIGURES = st.one_of(st.integers(0, 99999).map(str), st.integers(1, 999).map(lambda n: f"{n}余"))
STATUSES = st.sampled_from(["draft", "reviewed", "published"])
# Who names whom: a case names practices in its `practices` list, a practice names cases in `cases`.
NAMED_BY = {"practices": "cases", "cases": "practices"}


class Loop(RuleBasedStateMachine):
    """An editor working in one project; the subclasses choose the command that builds."""

    site = True
    preview = False  # the public build shows published records only; the preview shows every one

    def __init__(self, root: Path, sample: Path, clean: CleanBuilds):
        super().__init__()
        self.project = Project(root, sample, preview=self.preview)
        self.clean = clean
        self.broken: dict[Path, str] = {}  # a broken record file -> its last good text
        self.names = itertools.count()

    def build(self):
        return self.project.build() if self.site else self.project.generate()

    def teardown(self) -> None:
        shutil.rmtree(self.project.root, ignore_errors=True)

    # --- what is in data/ ------------------------------------------------------------------------

    def records(self, kind: str | None = None) -> list[Path]:
        kinds = [kind] if kind else ["practices", "cases"]
        return [path for k in kinds for path in self.project.files(k) if path not in self.broken]

    def pick(self, data, kind: str | None = None) -> Path:
        """Draw a record that is not broken (shown as kind/id.yaml when Hypothesis prints a failing run)."""
        names = [path.relative_to(self.project.data).as_posix() for path in self.records(kind)]
        return self.project.data / data.draw(st.sampled_from(names), label=kind[:-1] if kind else "record")

    def counties(self) -> list[str]:
        return [
            r["code"]
            for path in sorted((self.project.data / "regions").glob("*.yaml"))
            for r in read_yaml(path)
            if r["level"] == "county"
        ]

    def regions_in_use(self) -> list[str]:
        return sorted({read_yaml(path)["region"] for path in self.records()})

    def theme_ids(self) -> list[str]:
        return [t["id"] for t in read_yaml(self.project.data / "themes.yaml")]

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self.names)}"

    def replace_name(self, kind: str, old: str, new: str | None) -> None:
        """Every record that names the `kind` record old names new instead (or no longer names it)."""
        for path in self.records(NAMED_BY[kind]):
            names = read_yaml(path).get(kind, [])
            if old in names:
                renamed = [name for name in (new if n == old else n for n in names) if name]
                self.project.edit(path, lambda r, renamed=renamed: r.update({kind: renamed}))

    # --- the editor ------------------------------------------------------------------------------

    @initialize()
    def first_build(self) -> None:
        self.build()

    @rule(data=st.data(), title=TITLES)
    def add_record(self, data, title: str) -> None:
        source = self.pick(data)
        ident = self.new_id("added")
        record = read_yaml(source)
        record.update(id=ident, title=title)
        write_yaml(source.with_name(f"{ident}.yaml"), record)

    @rule(data=st.data(), title=TITLES)
    def edit_title(self, data, title: str) -> None:
        self.project.edit(self.pick(data), lambda r: r.update(title=title))

    @rule(data=st.data(), sentence=SENTENCES, append=st.booleans())
    def edit_text(self, data, sentence: str, append: bool) -> None:
        path = self.pick(data)
        field = "summary" if path.parent.name == "practices" else "narrative"
        self.project.edit(path, lambda r: r.update({field: (r[field] if append else "") + sentence}))

    @rule(data=st.data())
    def edit_region(self, data) -> None:
        path = self.pick(data)
        code = data.draw(st.sampled_from(self.counties()), label="county")
        self.project.edit(path, lambda r: r.update(region=code))

    @rule(data=st.data(), years=st.integers(-3, 3))
    def edit_date(self, data, years: int) -> None:
        """Into another year's compilation (or the same one's, another day)."""
        path = self.pick(data)
        self.project.edit(path, lambda r: r.update(date=r["date"].replace(year=r["date"].year + years, day=1)))

    @rule(data=st.data())
    def edit_themes(self, data) -> None:
        path = self.pick(data)
        themes = data.draw(st.lists(st.sampled_from(self.theme_ids()), unique=True, max_size=4), label="themes")
        self.project.edit(path, lambda r: r.update(themes=themes))

    @rule(data=st.data(), value=FIGURES)
    def edit_figure(self, data, value: str) -> None:
        path = self.pick(data)

        def change(record: dict) -> None:
            metrics = record.setdefault("metrics", [])
            if metrics:
                metrics[data.draw(st.integers(0, len(metrics) - 1), label="metric")]["value"] = value
            else:
                metrics.append({"indicator": "参训职工", "value": value, "unit": "人"})

        self.project.edit(path, change)

    @rule(data=st.data(), status=STATUSES)
    def edit_status(self, data, status: str) -> None:
        self.project.edit(self.pick(data), lambda r: r.update(status=status))

    @precondition(lambda self: bool(self.records("cases") and self.records("practices")))
    @rule(data=st.data())
    def link_case_to_practice(self, data) -> None:
        case = self.pick(data, "cases")
        practice = self.pick(data, "practices").stem
        self.project.edit(case, lambda r: r.update(practices=r["practices"] + [practice] * (practice not in r["practices"])))

    @precondition(lambda self: not self.broken)
    @rule(data=st.data())
    def rename_record(self, data) -> None:
        old = self.pick(data)
        new = self.new_id("renamed")
        self.project.edit(old, lambda r: r.update(id=new))
        old.rename(old.with_name(f"{new}.yaml"))
        self.replace_name(old.parent.name, old.stem, new)

    @precondition(lambda self: not self.broken and min(len(self.records("practices")), len(self.records("cases"))) > 1)
    @rule(data=st.data())
    def delete_record(self, data) -> None:
        gone = self.pick(data)
        gone.unlink()
        self.replace_name(gone.parent.name, gone.stem, None)

    @rule(data=st.data())
    def rename_region(self, data) -> None:
        code = data.draw(st.sampled_from(self.regions_in_use()), label="region")
        path = self.project.data / "regions" / f"{code[:2]}0000.yaml"

        def change(regions: list[dict]) -> None:
            region = next(r for r in regions if r["code"] == code)
            region.update(name="新" + region["name"], pinyin="xin1 " + region["pinyin"])

        self.project.edit(path, change)

    @rule(data=st.data(), name=TITLES)
    def rename_theme(self, data, name: str) -> None:
        theme = data.draw(st.sampled_from(self.theme_ids()), label="theme")
        self.project.edit(self.project.data / "themes.yaml", lambda ts: next(t for t in ts if t["id"] == theme).update(name=name))

    @precondition(lambda self: not self.broken)
    @rule(data=st.data(), syntax=st.booleans())
    def break_record(self, data, syntax: bool) -> None:
        path = self.pick(data)
        self.broken[path] = path.read_text(encoding="utf-8")
        if syntax:
            path.write_text(self.broken[path] + "title: [unclosed\n", encoding="utf-8")
        else:
            self.project.edit(path, lambda r: r.update(themes=[*r.get("themes", [])[:1], "no-such-theme"]))

    @precondition(lambda self: bool(self.broken))
    @rule()
    def fix_record(self) -> None:
        path, good = self.broken.popitem()
        path.write_text(good, encoding="utf-8")

    # --- after every step ------------------------------------------------------------------------

    @invariant()
    def builds_like_a_clean_build(self) -> None:
        if self.broken:
            before = self.project.outputs()
            with pytest.raises(DataError):
                self.build()
            assert_untouched(before, self.project.outputs(), when=f"broken {sorted(p.name for p in self.broken)}")
            return
        before = stamps(self.project.docs)
        self.build()
        assert_like_clean(self.project, self.clean.of(self.project.data), site=self.site)
        assert_unchanged_files_keep_their_mtime(before, stamps(self.project.docs), when="docs/")


class SiteLoop(Loop):
    site = True


class DocsLoop(Loop):
    site = False


class PreviewDocsLoop(Loop):
    site, preview = False, True


pytestmark = pytest.mark.usefixtures("fixed_build_time")


def run(machine: type[Loop], tmp_path: Path, sample: Path) -> None:
    clean = CleanBuilds(tmp_path / "clean", site=machine.site, preview=machine.preview)
    runs = itertools.count()
    run_state_machine_as_test(
        lambda: machine(tmp_path / f"run-{next(runs)}", sample, clean), settings=budget("site" if machine.site else "docs")
    )


@pytest.mark.slow
def test_any_sequence_of_edits_builds_the_site_a_clean_build_would(tmp_path: Path, sample: Path) -> None:
    run(SiteLoop, tmp_path, sample)


def test_any_sequence_of_edits_generates_the_docs_a_clean_generate_would(
    tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With listings shown whole up to four entries and pages of two entries, adds and deletes take
    a listing past the size it shows whole and back, and the A–Z listings' letters are cut into
    parts that edits, adds and deletes keep moving: a part comes, goes, or shows other records."""
    from generator.model import ordering

    change_setting(monkeypatch, ordering, "WHOLE_LISTING", 4)
    change_setting(monkeypatch, ordering, "PART_SIZE", 2)
    run(DocsLoop, tmp_path, sample)


def test_the_preview_too_generates_what_a_clean_preview_would(tmp_path: Path, sample: Path) -> None:
    run(PreviewDocsLoop, tmp_path, sample)
