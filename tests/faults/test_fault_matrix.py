"""The fault matrix (issue 18, "Done when"): every vault file damaged every way, every command run
on every damaged copy. Zero tracebacks, zero writes to a damaged file, every failure one message.

One small vault (cheap test KDF) with clients, events, a document, a declaration and a trusted
office is copied *while open*, so its folder also holds a write-ahead log of saved changes. Each
vault file (``declara.db``, ``keyheader.json``, ``keyheader.copy.json`` when present,
``declara.db-wal``, ``declara.lock``) is damaged in 63 ways: one byte flipped at each of 50 seeded
offsets, cut at 10 seeded lengths, emptied, deleted, replaced by another vault's. Every command
of the parser (the list is read from ``build_parser()``; a new command without arguments here
fails the test) runs in-process on a fresh copy of each damaged folder.

For each run: the exit code is 0 or 1 (2 is a usage error, never expected here); nothing escapes
``main``; no "Traceback"; an exit 1 writes one ``declara: …`` message; the damaged file is not
written (sha256 before and after; a deleted one is not re-created); and after an exit 1 no vault
file changed at all. The lock file is Declara's to rewrite (its content is who holds the vault),
so its own damage is exempt from the "not written" rule — but never through a symlink
(tests/faults/test_never_write.py).

When may a command succeed on a damaged folder? Decided here and in docs/security.md:
- the database is damaged: only commands that never open it (``case validate``, ``date``,
  ``request sources``, ``custody sources``), the
  key-header commands that never open it (passphrase, recovery code and office recipient,
  recover, repair-header) and ``vault salvage`` (which reads it read-only to rescue records);
- the key header is damaged: any command, when its copy (``keyheader.copy.json``) stands in;
- the log is deleted, or cut short: SQLite replays its complete transactions and drops a torn
  last one, as after a power cut; nothing can tell a cut log from a crash, so this is not
  refused (and the log is folded in and removed as usual);
- the lock file: any command.

Budget: every command on every variant of ``declara.db``; for the other files, every variant with
a fixed set of commands (open, read, write) and every command on a seeded sample of variants.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from desktop.vault import keyheader as kh

SEED = 18
FLIPS = 50
CUTS = 10
FULL_SAMPLE = 3  # variants of each other file that get every command
#: Commands that decrypt a passphrase file of their own (age's scrypt, 1.3 s) after opening the
#: vault: on the other files' sampled variants they would only repeat that cost; they run on every
#: damaged database and on the emptied, deleted and replaced variants of every file.
SLOW_INPUT = {"vault apply-unsaved"}
REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "violet harbor lantern quietly 42"
NEW_PASSPHRASE = "copper meadow whistle gently 77"

#: Commands that never open the database (exit 0 allowed when only the database is damaged).
NO_DATABASE = {
    "case validate",
    "date",
    "request sources",  # reads the request tables only
    "custody sources",  # reads the custody tables only
    "vault passphrase",
    "vault recovery-code",
    "vault recovery-office",
    "vault recover",
    "vault repair-header",
    "vault salvage",
    "vault backups",  # lists the backups folder
    "vault init",  # refuses an existing folder
    "demo",
}
#: Commands that write the key header (and may mend one of its two files from the other).
HEADER_WRITERS = {
    "vault passphrase",
    "vault recovery-code",
    "vault recovery-office",
    "vault recover",
    "vault rekey",
    "vault repair-header",
}
#: A few commands that open, read and write: run on every variant of every file.
CORE = ("vault check", "case list", "case import")


# -- the vault the matrix damages ----------------------------------------------------------------
@dataclass
class World:
    base: Path  # the vault folder, copied while open (it holds a log)
    other: Path  # another vault (same passphrase), also copied while open
    files: dict[str, str] = field(default_factory=dict)  # placeholder -> value
    runs: int = 0
    seconds: float = 0.0


def _run(
    argv: list[str], prompt_answer: str = "wrong words", passphrase: str = PASSPHRASE
) -> tuple[int, str, str]:
    from desktop.cli import Context, main

    out, err = io.StringIO(), io.StringIO()
    ctx = Context(
        policy=kh.unsafe_test_policy(),
        stdout=out,
        stderr=err,
        env={"DECLARA_PASSPHRASE": passphrase, "LANG": "en_US.UTF-8"},
        prompt=lambda _label: prompt_answer,
    )
    code = main(argv, ctx)
    return code, out.getvalue(), err.getvalue()


def _ok(*argv: object) -> str:
    code, out, err = _run([str(a) for a in argv])
    assert code == 0, (argv, out, err)
    return out


def _copy_while_open(vault_path: Path, to: Path, edit: Callable[[object], None]) -> None:
    """Copy the folder while a connection holds saved, not yet folded-in changes."""
    from desktop.case.store import CaseStore
    from desktop.vault.database import open_vault, unlock

    vault = open_vault(vault_path, unlock(vault_path, PASSPHRASE, kh.unsafe_test_policy()))
    try:
        edit(CaseStore(vault))
        shutil.copytree(vault_path, to)
    finally:
        vault.close()
    (to / "declara.db-shm").unlink(missing_ok=True)
    assert (to / "declara.db-wal").stat().st_size > 4096


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return _world(tmp_path_factory)


def _world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("matrix")
    live, office = root / "live.declara", root / "office.declara"
    _ok("demo", live)
    _ok("vault", "init", office)
    _ok("case", "import", office, REPO / "tests" / "data" / "case-lidia.json")
    clients = json.loads(_ok("case", "list", live, "--json"))
    client = clients[0]["id"]
    pdf, second = root / "exhibit.pdf", root / "second.pdf"
    pdf.write_bytes(_tiny_pdf("A fictional exhibit."))
    second.write_bytes(_tiny_pdf("Another fictional exhibit."))
    _ok("doc", "add", live, client, pdf, "--title", "Exhibit")
    doc_rows = _ok("doc", "list", live, client)
    document = doc_rows.split()[0]
    _ok("declaration", "draft", live, client)
    _ok("office", "init", office, "--name", "Office")
    _ok("sync", "card", live, "--out", root / "live-card.json", "--name", "Laptop")
    _ok("sync", "card", office, "--out", root / "office-card.json")
    _ok("sync", "trust", live, root / "office-card.json")
    _ok("sync", "trust", office, root / "live-card.json")
    _ok("sync", "export", office, "--to", root / "live-card.json", "--out", root / "from-office.sync")
    base, other = root / "base.declara", root / "other.declara"

    def edit(store: object) -> None:
        for i in range(3):
            store.create("client", {"given_names": f"Guardado {i}", "family_names": "Sin plegar"})  # type: ignore[attr-defined]

    _copy_while_open(live, base, edit)
    _copy_while_open(office, other, edit)
    (root / "pass-new.txt").write_text(NEW_PASSPHRASE + "\n")
    (root / "bk").mkdir()
    from desktop.case import unsaved_edits

    unsaved = {(client, "notes"): "Guardado fuera de la bóveda"}  # what the window saved when a write failed
    unsaved_edits.write(
        root / "unsaved.age", unsaved_edits.build_document(unsaved, None, None), NEW_PASSPHRASE
    )
    from pyrage import x25519

    world = World(base=base, other=other)
    world.files = {
        "{C}": client,
        "{D}": document,
        "{CASE}": str(REPO / "tests" / "data" / "case-alex.json"),
        "{CARD}": str(root / "office-card.json"),
        "{SYNC}": str(root / "from-office.sync"),
        "{NEWP}": str(root / "pass-new.txt"),
        "{UNSAVED}": str(root / "unsaved.age"),
        "{PDF}": str(second),
        "{AGE}": str(x25519.Identity.generate().to_public()),
    }
    return world


def _tiny_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, text)
    page.save()
    return buf.getvalue()


# -- every command, with arguments that would work on a healthy vault -----------------------------
COMMANDS: dict[str, list[str]] = {
    "vault init": ["{V}"],
    "vault check": ["{V}"],
    "vault passphrase": ["{V}", "--new-passphrase-file", "{NEWP}"],
    "vault backup": ["{V}", "--to", "{T}/bk"],
    "vault backups": ["{V}"],
    "vault restore": ["{V}", "--to", "{T}/restored"],
    "vault salvage": ["{V}", "--to", "{T}/salvaged", "--new-passphrase-file", "{NEWP}"],
    "vault recovery-code": ["{V}"],
    "vault recovery-office": ["{V}", "--recipient", "{AGE}"],
    "vault recover": ["{V}", "--code", "--new-passphrase-file", "{NEWP}"],
    "vault rekey": ["{V}"],
    "vault repair-header": ["{V}"],
    "vault apply-unsaved": ["{V}", "{UNSAVED}", "--file-passphrase-file", "{NEWP}"],
    "demo": ["{V}"],
    "case import": ["{V}", "{CASE}", "--allow-duplicate"],
    "case export": ["{V}", "{C}", "--out", "{T}/case.zip"],
    "case list": ["{V}"],
    "case show": ["{V}", "{C}"],
    "case validate": ["{CASE}"],
    "timeline": ["{V}", "{C}", "--lang", "en", "--out", "{T}/timeline.pdf"],
    "declaration": ["{V}", "{C}", "--lang", "en", "--out", "{T}/declaration.pdf"],
    "declaration draft": ["{V}", "{C}"],
    "declaration sign": ["{V}", "{C}", "--on", "2026-11-02", "--at", "Pearsall, TX"],
    "office init": ["{V}"],
    "office assign": ["{V}", "Office", "{C}"],
    "office unassign": ["{V}", "Office", "{C}"],
    "office assignments": ["{V}"],
    "sync hand-back": ["{V}", "{C}"],
    "sync card": ["{V}", "--out", "{T}/card.json"],
    "sync trust": ["{V}", "{CARD}"],
    "sync peers": ["{V}"],
    "sync export": ["{V}", "--to", "{CARD}", "--out", "{T}/out.sync"],
    "sync import": ["{V}", "{SYNC}"],
    "sync export-identity": ["{V}", "--out", "{T}/identity.txt"],
    "sync conflicts": ["{V}"],
    "sync resolve": ["{V}", "1", "mine"],
    "date": ["2026-11-02"],
    "doc add": ["{V}", "{C}", "{PDF}"],
    "doc list": ["{V}", "{C}"],
    "doc export": ["{V}", "{D}", "--out", "{T}/doc.pdf"],
    "doc translate": ["{V}", "{D}", "--remove"],
    "doc link": ["{V}", "{D}", "--unlink", "event"],
    "search": ["{V}", "Ana"],
    "packet": ["{V}", "{C}", "--out", "{T}", "--served-on", "1 Fictional Plaza, Houston, TX"],
    "request list": ["{V}", "{C}"],
    "request draft": ["{V}", "{C}", "--to", "ICE", "--out", "{T}/letter.pdf"],
    "request requester": ["{V}", "--name", "Laura Ficticia Ortiz"],
    "request sources": [],
    "custody": ["{V}", "{C}"],
    "custody draft": ["{V}", "{C}", "--kind", "habeas-facts", "--out", "{T}/facts.pdf"],
    "custody sources": [],
}


def parser_commands() -> list[str]:
    import argparse

    from desktop.cli import build_parser

    found: list[str] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*prefix, name])
                return
        found.append(" ".join(prefix))

    walk(build_parser(), [])
    return found


def test_every_command_of_the_parser_is_in_the_matrix():
    missing = sorted(set(parser_commands()) - set(COMMANDS))
    assert not missing, f"give these commands arguments in COMMANDS: {missing}"


# -- the damaged copies ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Variant:
    file: str
    kind: str  # flip, cut, empty, delete, replace
    at: int = 0

    @property
    def label(self) -> str:
        return f"{self.file}:{self.kind}" + (f"@{self.at}" if self.kind in ("flip", "cut") else "")


def variants(world: World, name: str) -> list[Variant]:
    size = (world.base / name).stat().st_size
    rng = random.Random(f"{SEED}:{name}")
    found = [Variant(name, "flip", rng.randrange(size)) for _ in range(FLIPS)]
    found += [Variant(name, "cut", rng.randrange(size)) for _ in range(CUTS)]
    found += [Variant(name, kind) for kind in ("empty", "delete", "replace")]
    return found


def make(world: World, variant: Variant, folder: Path) -> None:
    shutil.copytree(world.base, folder)
    target = folder / variant.file
    if variant.kind == "flip":
        data = bytearray(target.read_bytes())
        data[variant.at] ^= 0xA5
        target.write_bytes(bytes(data))
    elif variant.kind == "cut":
        target.write_bytes(target.read_bytes()[: variant.at])
    elif variant.kind == "empty":
        target.write_bytes(b"")
    elif variant.kind == "delete":
        target.unlink()
    elif variant.kind == "replace":
        shutil.copyfile(world.other / variant.file, target)


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and not p.name.endswith("-shm")
    }


def may_succeed(variant: Variant, command: str, folder: Path) -> bool:
    """Is exit 0 acceptable for this command on this damaged copy? (see the module's docstring)"""
    if variant.file == "declara.lock":
        return True
    if variant.file == "declara.db":
        return command in NO_DATABASE
    if variant.file == "declara.db-wal":  # a backup is a database and its header, never a log
        return variant.kind in ("cut", "delete", "empty") or command in NO_DATABASE | {"vault restore"}
    if variant.file == "keyheader.json":  # the copy stands in
        no_vault = ("case validate", "date", "request sources", "custody sources")
        return (folder / "keyheader.copy.json").is_file() or command in no_vault
    if variant.file == "keyheader.copy.json":  # the main header is whole
        return True
    return False


def may_write(variant: Variant) -> bool:
    """May the damaged file itself change? The lock is ours; a cut log is folded in as after a
    crash (and an emptied or deleted one has nothing in it to protect)."""
    return variant.file == "declara.lock" or (
        variant.file == "declara.db-wal" and variant.kind in ("cut", "empty", "delete")
    )


class Runner:
    """Runs commands on damaged copies; a copy is made afresh only when a run changed it (the
    lock file, which every open rewrites, is put back byte for byte)."""

    def __init__(self, world: World, scratch: Path) -> None:
        self.world, self.scratch = world, scratch
        self.variant: Variant | None = None
        self.pristine: dict[str, bytes] = {}
        self._opened: dict[Variant, bool] = {}
        self.own_header = hashlib.sha256((world.base / "keyheader.json").read_bytes()).hexdigest()

    @property
    def folder(self) -> Path:
        return self.scratch / "v.declara"

    def prepare(self, variant: Variant) -> None:
        now = {p.name: p for p in self.folder.iterdir()} if self.folder.is_dir() else {}
        now.pop("declara.db-shm", None)
        if variant == self.variant and set(now) <= set(self.pristine) | {LOCK}:
            same = all(
                name == LOCK or hashlib.sha256(path.read_bytes()).digest() == self.pristine[name]
                for name, path in now.items()
            )
            if same and set(self.pristine) - {LOCK} <= set(now):
                if LOCK in self.pristine_bytes:
                    (self.folder / LOCK).write_bytes(self.pristine_bytes[LOCK])
                else:
                    (self.folder / LOCK).unlink(missing_ok=True)
                (self.folder / "declara.db-shm").unlink(missing_ok=True)
                return
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        make(self.world, variant, self.folder)
        self.variant = variant
        self.pristine = {
            p.name: hashlib.sha256(p.read_bytes()).digest() for p in self.folder.iterdir() if p.is_file()
        }
        self.pristine_bytes = (
            {LOCK: (self.folder / LOCK).read_bytes()} if (self.folder / LOCK).exists() else {}
        )

    def run(self, variant: Variant, command: str) -> list[str]:
        """Run one command on the damaged copy; return what went wrong (empty: all held)."""
        world, folder, out = self.world, self.folder, self.scratch / "out"
        header_write = command in HEADER_WRITERS and variant.file.startswith("keyheader")
        opened_before = header_write and self.opened(variant)
        self.prepare(variant)
        if not out.is_dir() or [p.name for p in out.iterdir()] != ["bk"] or any((out / "bk").iterdir()):
            shutil.rmtree(out, ignore_errors=True)
            (out / "bk").mkdir(parents=True)
        before = digests(folder)
        values = {**world.files, "{V}": str(folder), "{T}": str(out)}
        argv = command.split(" ") + [_fill(a, values) for a in COMMANDS[command]]
        start = time.perf_counter()
        try:
            code, stdout, stderr = _run(argv)
        except BaseException as exc:  # noqa: BLE001 - that is the failure being looked for
            self.variant = None
            return [f"{variant.label} | {command}: {type(exc).__name__} escaped main: {exc}"]
        finally:
            world.runs += 1
            world.seconds += time.perf_counter() - start
        after = digests(folder)
        problems = judge(variant, command, folder, code, stdout, stderr, before, after)
        if variant.file.startswith("keyheader") and self.own_header not in after.values():
            # the vault's own key header is gone from the folder: it must still open (a header
            # write such as a passphrase change), or the vault was lost
            if not self.opens():
                problems.append(f"{variant.label} | {command} -> {code}: the vault's own key header is lost")
        elif opened_before and not self.opens():
            problems.append(f"{variant.label} | {command} -> {code}: the vault no longer opens")
        return problems

    def opens(self) -> bool:
        """Does the copy open now, with the passphrase or the new one?"""
        self.variant = None  # opening folds the log in: the next run gets a fresh copy
        return any(
            _run(["case", "list", str(self.folder)], passphrase=p)[0] == 0
            for p in (PASSPHRASE, NEW_PASSPHRASE)
        )

    def opened(self, variant: Variant) -> bool:
        """Did the damaged copy open before any command ran on it?"""
        if variant not in self._opened:
            self.prepare(variant)
            self._opened[variant] = _run(["case", "list", str(self.folder)])[0] == 0
            self.variant = None  # opening folds the log in: the next run gets a fresh copy
        return self._opened[variant]


LOCK = "declara.lock"


def judge(
    variant: Variant,
    command: str,
    folder: Path,
    code: int,
    stdout: str,
    stderr: str,
    before: dict[str, str],
    after: dict[str, str],
) -> list[str]:
    problems: list[str] = []
    where = f"{variant.label} | {command} -> {code}"
    if code not in (0, 1):
        problems.append(f"{where}: exit code {code}: {stderr.strip()[:200]}")
    if "Traceback" in stdout + stderr:
        problems.append(f"{where}: a traceback")
    if code == 1:
        lines = stderr.strip().splitlines()
        errors = [line for line in lines if line.startswith("declara: ")]
        errors = [line for line in errors if not line.startswith("declara: warning: ")]
        if len(errors) != 1:
            problems.append(f"{where}: stderr is not one 'declara: …' message: {stderr.strip()[:300]!r}")
        changed = {n for n in set(before) | set(after) if before.get(n) != after.get(n)} - {LOCK}
        if changed and variant.file in ("declara.db", "declara.db-wal") and not may_write(variant):
            # refused on a damaged database or log: not one byte of the folder changed (when the
            # damage was elsewhere and the vault opened, its own log is folded in on close)
            problems.append(f"{where}: refused but changed {sorted(changed)}")
    if code == 0 and not may_succeed(variant, command, folder):
        problems.append(f"{where}: succeeded on a damaged copy: {(stdout + stderr).strip()[:200]!r}")
    # The key header's two files mend each other: a command that writes the header may re-create
    # a deleted one, or replace a damaged one once its bytes are kept aside (keyheader.damaged-*).
    mended = (
        variant.file in ("keyheader.json", "keyheader.copy.json")
        and command in HEADER_WRITERS
        and (
            variant.kind == "delete"
            or before.get(variant.file) in after.values()
            or (variant.file == "keyheader.copy.json" and code == 0)  # renewed from the whole main file
        )
    )
    if not may_write(variant) and before.get(variant.file) != after.get(variant.file) and not mended:
        state = "re-created" if variant.file not in before else "written"
        problems.append(f"{where}: the damaged {variant.file} was {state}")
    return problems


def _fill(arg: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        arg = arg.replace(key, value)
    return arg


@pytest.fixture(scope="module")
def fast_parser():
    """The parser is built once (building it is most of an in-process run's cost), and Argon2id
    results are remembered (the same passphrase and salt give the same key: a pure function)."""
    import functools

    import argon2.low_level

    import desktop.cli as cli

    real, real_kdf = cli.build_parser, argon2.low_level.hash_secret_raw
    built = real()
    cli.build_parser = lambda: built
    argon2.low_level.hash_secret_raw = functools.lru_cache(maxsize=64)(real_kdf)
    yield
    cli.build_parser, argon2.low_level.hash_secret_raw = real, real_kdf


def test_the_base_is_healthy_and_every_command_succeeds_on_it(world, fast_parser, tmp_path):
    """The arguments are right: on an undamaged copy the commands do their work."""
    expected_refusals = {
        "vault init",
        "demo",  # the folder exists
        "vault recover",  # no recovery code was set up; the typed words are wrong
        "sync resolve",  # no conflict 1
        "declaration sign",  # the draft has places to complete
        "doc link",  # nothing linked
        "vault restore",  # a vault is not a backup folder (or is: either is fine)
        "office init",  # a laptop that already trusts the office
        "office assign",  # the base is a laptop: only the office assigns
        "office unassign",
        "office assignments",
    }
    failed = {}
    for command in COMMANDS:
        folder = tmp_path / command.replace(" ", "-")
        folder.mkdir()
        (folder / "out").mkdir()
        (folder / "out" / "bk").mkdir()
        shutil.copytree(world.base, folder / "v.declara")
        values = {**world.files, "{V}": str(folder / "v.declara"), "{T}": str(folder / "out")}
        code, out, err = _run(command.split(" ") + [_fill(a, values) for a in COMMANDS[command]])
        assert code in (0, 1) and "Traceback" not in err, (command, err)
        if code != 0 and command not in expected_refusals:
            failed[command] = err.strip()
    assert failed == {}, "\n".join(f"{k}: {v}" for k, v in failed.items())


def _matrix(world: World, name: str, tmp_path: Path, commands: Callable[[int], list[str]]) -> None:
    if not (world.base / name).is_file():
        pytest.skip(f"{name} is not part of this vault layout")
    problems: list[str] = []
    started, runs = time.perf_counter(), world.runs
    runner = Runner(world, tmp_path / "scratch")
    for index, variant in enumerate(variants(world, name)):
        for command in commands(index):
            problems += runner.run(variant, command)
    elapsed = time.perf_counter() - started
    print(f"\n{name}: {world.runs - runs} runs in {elapsed:.1f} s")
    assert not problems, f"{len(problems)} problems, first ones:\n" + "\n".join(problems[:25])


def test_every_command_on_every_damaged_database(world, fast_parser, tmp_path):
    _matrix(world, "declara.db", tmp_path, lambda _i: list(COMMANDS))


@pytest.mark.parametrize("name", ["keyheader.json", "keyheader.copy.json", "declara.db-wal", "declara.lock"])
def test_the_other_files_damaged(world, fast_parser, tmp_path, name):
    sample = set(random.Random(f"{SEED}:{name}:sample").sample(range(FLIPS + CUTS + 3), FULL_SAMPLE))
    fixed = {FLIPS + CUTS, FLIPS + CUTS + 1, FLIPS + CUTS + 2}  # empty, delete, replace: everything

    def commands(index: int) -> list[str]:
        if index in fixed:
            return list(COMMANDS)
        if index in sample:  # all but the one that first spends 1.3 s decrypting a file of its own
            return [command for command in COMMANDS if command not in SLOW_INPUT]
        return list(CORE)

    _matrix(world, name, tmp_path, commands)
