"""The command line: ``wavebook demo | waves | check | run | build | preview | clean``.

Thin: parse, call the package, print. Exit codes: 0 success, 1 a chapter failed, 2 bad input
or usage. Errors the user can act on are printed as one message, never as a traceback.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import shutil
import sys
import warnings
from pathlib import Path

from wavebook.errors import WavebookError
from wavebook.paths import Project


def _cmd_demo(project: Project, args: argparse.Namespace) -> int:
    from wavebook.demo import NEW_WAVE, new_wave_entry, write_demo

    written = write_demo(
        project.demo_dir,
        scale=args.scale,
        seed=args.seed,
        sav_waves=args.sav_wave or (),
        codebook_file=project.codebook_file,
        new_wave=args.new_wave,
    )
    for path in written:
        print(f"wrote {path.relative_to(project.root)}")
    for path in written:
        if path.suffix == ".sav":
            print(
                f"to read {path.name} instead of the parquet file, register it in "
                f"data/waves.yml with the mapping in {path.stem}.mapping.yml"
            )
    for path in written:
        if path.suffix == ".csv":
            # the entry is the last thing printed, so that it can be copied (or piped) as is
            print(
                f"\nto add wave {NEW_WAVE}, append these lines to data/waves.yml, then run "
                f"`wavebook check --wave {NEW_WAVE}` and `wavebook build --wave {NEW_WAVE}`:\n"
            )
            print(new_wave_entry(path, project.data), end="")
    return 0


def _cmd_waves(project: Project, args: argparse.Namespace) -> int:
    from wavebook.waves import load_registry

    registry = load_registry(project.waves_file)
    print(f"{'wave':<5} {'label':<28} {'field period':<25} {'file':<26} status")
    for w in registry.waves:
        path = w.path(project.data)
        status = "present" if path.is_file() else "missing"
        kind = " (synthetic)" if w.synthetic else ""
        print(
            f"{w.number:<5} {w.label:<28} {w.field_start} – {w.field_end}  "
            f"{w.file:<26} {status}{kind}"
        )
    return 0


def _names(names: list[str], shown: int = 4) -> str:
    """A few names of a long list, for one readable line."""
    return ", ".join(names[:shown]) + (", …" if len(names) > shown else "")


def _warn(text: str) -> None:
    sys.stdout.flush()  # keep the order of the lines on a terminal
    print(f"warning: {text}", file=sys.stderr)


def _print_links(frames: dict) -> None:
    """Per wave from the second: respondents also in the previous wave and in every wave."""
    import pandas as pd

    from wavebook.samples import links

    resp = pd.concat([frame[["resp_id", "wave"]] for frame in frames.values()])
    table = links(resp)
    if len(table) < 2:
        return
    print("\npanel links (delivered respondents, by resp_id):")
    first = int(table["wave"].iloc[0])
    for previous, row in itertools.pairwise(table.itertuples(index=False)):
        line = (
            f"wave {row.wave}: {row.respondents:,} respondents; "
            f"{row.in_previous:,} also in wave {previous.wave}"
        )
        if previous.wave != first:  # after the second wave, "every wave" says something new
            line += f"; {row.in_every:,} in every wave {first}–{row.wave}"
        print(line)
        if row.in_previous == 0:
            _warn(
                f"wave {row.wave} shares no respondent with wave {previous.wave}: check that "
                "resp_id is written the same way in both files (an export can change an id's "
                "format)"
            )


_RECORD_WARNINGS = {
    "unlisted": "wave {wave} delivered {n} the codebook does not list for it ({names})",
    "unanswered": "the codebook lists {n} for wave {wave} that its file lacks or leaves empty "
    "({names})",
}


def _warn_record(frames: dict, codebook) -> None:
    """One warning per wave and kind where the codebook's ``waves`` and the files disagree."""
    from wavebook.io import record_mismatches

    mismatches = record_mismatches(frames, codebook)
    for (wave, kind), group in mismatches.groupby(["wave", "kind"], sort=True):
        names = group["variable"].tolist()
        n = f"{len(names)} variable{'s' if len(names) != 1 else ''}"
        text = _RECORD_WARNINGS[kind].format(wave=wave, n=n, names=_names(names))
        _warn(f"{text}; the chapters read what a wave asked from its file")


def _cmd_check(project: Project, args: argparse.Namespace) -> int:
    from wavebook.clean import clean_waves
    from wavebook.codebook import load_codebook
    from wavebook.io import load_wave
    from wavebook.waves import load_registry

    codebook = load_codebook(project.codebook_file)
    registry = load_registry(project.waves_file)
    if args.path:
        frames = {0: load_wave(Path(args.path), codebook)}
        frames = {int(frames[0]["wave"].iloc[0]): frames[0]}
    else:
        wave = registry.latest if args.wave is None else args.wave
        frames = {
            w.number: load_wave(w.path(project.data), codebook, wave=w.number, mapping=w.mapping)
            for w in registry.up_to(wave)
        }
    cleaned = clean_waves(frames)
    for number, frame in frames.items():
        asked = [c for c in frame.columns if c in codebook]
        print(f"wave {number}: {len(frame):,} rows, {len(asked)} codebook columns — valid")
    _print_links(frames)
    _warn_record(frames, codebook)
    print("\nexclusion flow:")
    print(cleaned.flow.to_string(index=False))
    return 0


def _cmd_run(project: Project, args: argparse.Namespace) -> int:
    from wavebook.build import run

    _, runs = run(project, args.wave, chapters=args.chapter or None, jobs=args.jobs)
    for r in runs:
        print(f"{r.slug}: {'cached' if r.cached else f'executed in {r.seconds:.1f} s'}")
    return 0


def _cmd_build(project: Project, args: argparse.Namespace) -> int:
    from wavebook.build import build

    result = build(project, args.wave, pdf=args.pdf, jobs=args.jobs, lang=args.lang)
    total = sum(result.timings.values())
    index = (result.out / "html" / "index.html").relative_to(project.root)
    if result.unchanged:
        print(f"wave {result.wave}: nothing changed since the last build: {index}")
    else:
        print(f"built wave {result.wave} in {total:.1f} s: {index}")
    if args.pdf:
        for pdf in sorted((result.out / "pdf").glob("*.pdf")):
            print(f"PDF: {pdf.relative_to(project.root)}")
    return 0


def _cmd_preview(project: Project, args: argparse.Namespace) -> int:
    from wavebook.preview import serve

    argv = ["preview", "--lang", args.lang, "--port", str(args.port)]
    if args.wave is not None:
        argv += ["--wave", str(args.wave)]
    return serve(project, args.wave, args.lang, args.port, argv=argv)


def _cmd_clean(project: Project, args: argparse.Namespace) -> int:
    shutil.rmtree(project.build_root, ignore_errors=True)
    print(f"removed {project.build_root.relative_to(project.root)}/")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="wavebook", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="write the synthetic demo waves into data/demo/")
    demo.add_argument("--scale", type=_positive, default=1, help="K times the respondents")
    demo.add_argument("--seed", type=int, default=20220224)
    demo.add_argument(
        "--sav-wave",
        type=int,
        action="append",
        choices=[1, 2, 3],
        metavar="N",
        help="also write wave N as an SPSS .sav file in platform form, with its "
        "mapping for data/waves.yml (repeatable)",
    )
    demo.add_argument(
        "--new-wave",
        action="store_true",
        help="also write a fourth wave (spring 2024) as data/demo/wave-4.csv and print the "
        "entry that registers it in data/waves.yml",
    )
    sub.add_parser("waves", help="list registered waves, their files and status")
    check = sub.add_parser("check", help="validate a delivery; print counts and exclusions")
    target = check.add_mutually_exclusive_group()
    target.add_argument("--wave", type=int, help="check the registered waves up to N")
    target.add_argument("path", nargs="?", help="a wave file to check on its own")
    for name, text in (
        ("run", "execute chapters only"),
        ("build", "execute, render HTML (and PDF), check, publish"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--wave", type=int, help="wave number (default: the latest)")
        cmd.add_argument("--jobs", type=int, help="chapters executed in parallel")
        if name == "run":
            cmd.add_argument("--chapter", action="append", help="only this chapter (repeatable)")
        else:
            cmd.add_argument("--pdf", action=argparse.BooleanOptionalAction, default=True)
            cmd.add_argument(
                "--lang", choices=["en", "ru"], default="en", help="the edition's language"
            )
    preview = sub.add_parser(
        "preview", help="serve the site on 127.0.0.1, rebuild on every save, reload the page"
    )
    preview.add_argument("--wave", type=int, help="wave number (default: the latest)")
    preview.add_argument("--lang", choices=["en", "ru"], default="en", help="the edition")
    preview.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sub.add_parser("clean", help="remove _build/")
    return top


COMMANDS = {
    "demo": _cmd_demo,
    "waves": _cmd_waves,
    "check": _cmd_check,
    "run": _cmd_run,
    "build": _cmd_build,
    "preview": _cmd_preview,
    "clean": _cmd_clean,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        project = Project.find()
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            # nbclient leaves event loops of finished kernels to the garbage collector
            warnings.simplefilter("ignore", ResourceWarning)
            return COMMANDS[args.command](project, args)
    except WavebookError as exc:
        print(f"wavebook: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        # Kernels are already stopped (build._in_parallel) and nothing was published. Leave
        # at once: a chapter thread may still be unwinding from its dead kernel.
        print("\nwavebook: interrupted; nothing was published", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(130)
    finally:
        # The process ends next: spare the interpreter's garbage collections over all that
        # Sphinx and the build leave behind (half a second of a one-sentence rebuild).
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
