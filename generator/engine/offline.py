"""`make offline`: the built site as a zip that browses and searches when unzipped and opened from disk.

No second site variant is needed: pages use relative .html links
(use_directory_urls: false), and the search index in site/search/ is made of
scripts loaded with <script> tags, not fetched, so it also works from file://.
The zip holds one folder, jingyanku/; open jingyanku/index.html.

    python -m generator.engine.offline [--data data] [--config mkdocs.yml] [--out dist/jingyanku-offline.zip] [--no-build]
"""

from __future__ import annotations

import argparse
import os
import shlex
import stat
import sys
import zipfile
from pathlib import Path

from ..sources.problems import DataError, format_text
from . import build
from .cache import rebuilt_if_unreadable
from .lock import build_lock

FOLDER = "jingyanku"
EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same site gives the same zip


def zip_site(site: Path, out: Path, folder: str = FOLDER) -> Path:
    """Write site/ into out as folder/…, entries sorted, timestamps fixed; atomic."""
    if not (site / "index.html").is_file():
        raise RuntimeError(f"{site} has no index.html: build the site first")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")  # a run killed outright leaves it; the next one writes over it
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for rel in sorted(_regular_files(site), key=lambda rel: rel.split("/")):  # as paths sort: part by part
                info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, (site / rel).read_bytes())
        os.replace(tmp, out)
    except BaseException:  # a full disk, a file gone, Ctrl-C: no half zip is left beside the last whole one
        tmp.unlink(missing_ok=True)
        raise
    return out


def _regular_files(site: Path) -> list[str]:
    """Every regular file under site/ (relative, POSIX); a link is never followed, so nothing
    outside the site reaches the zip."""
    out: list[str] = []
    for folder, _, names in os.walk(site):  # os.walk does not go into links to folders
        for name in names:
            if stat.S_ISREG(os.lstat(os.path.join(folder, name)).st_mode):
                out.append(Path(folder, name).relative_to(site).as_posix())
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generator.engine.offline", description=__doc__.splitlines()[0])
    p.add_argument("--data", default="data", help="folder of YAML records (default: data)")
    p.add_argument("--config", default="mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--out", default="dist/jingyanku-offline.zip", help="zip to write (default: dist/jingyanku-offline.zip)")
    p.add_argument("--no-build", action="store_true", help="zip the existing site/ without building it first")
    p.add_argument("--no-wait", action="store_true", help="when another build of this project is running, stop at once (exit 1)")
    args = p.parse_args(argv)
    paths = build.Paths(data=Path(args.data), config=Path(args.config))
    command = shlex.join(["python", "-m", "generator.engine.offline", *(sys.argv[1:] if argv is None else argv)])

    def run() -> Path:
        if not args.no_build:
            build.build_site(paths)
        return zip_site(paths.site, Path(args.out))

    try:
        with build_lock(paths.config.parent, command, wait=not args.no_wait):  # the site is zipped as this build left it
            out = rebuilt_if_unreadable(paths.cache, run)
    except DataError as exc:
        sys.stderr.write(format_text(exc.problems))
        return 1
    except RuntimeError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    print(f"offline site: {out} ({out.stat().st_size // 1024} KB); unzip it and open {FOLDER}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
