"""The interview guide: versioned, multilingual questionnaires kept as data (TOML).

A questionnaire lives in ``resources/questionnaires/<id>.toml``: a ``[questionnaire]`` table (id,
version, the languages every text must exist in, a title) and ``[[section]]`` tables, each holding
``[[section.question]]`` tables. A question has a stable id (``"<section id>.<name>"``), a kind
(:data:`KINDS`), the question addressed to the client and a short hint for the interviewer in every
language, optional choices (for ``choice`` questions), an optional ``suggests`` ("event" or
"allegation": where the answer probably belongs in the case) and optional follow-ups
(``[[section.question.followup]]``), shown only when the parent's answer is one of their ``when``
values. Follow-ups may have follow-ups of their own, one level more at most.

Answer values: ``yesno`` -> one of :data:`YESNO`; ``choice`` -> a choice id; ``date`` -> an EDTF
string; ``text`` -> free text. Only ``yesno`` and ``choice`` questions can have follow-ups.

Adding a language or a question is a change to the TOML file only: :func:`validate` checks the
file against the languages it declares, and :func:`load_questionnaire` refuses a file with any
problem, listing them all (:class:`QuestionnaireError`). Those messages are for maintainers and are
not translated.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from desktop.paths import resource_path

__all__ = [
    "KINDS",
    "SUGGESTS",
    "YESNO",
    "Choice",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "Section",
    "available",
    "load_questionnaire",
    "validate",
]

KINDS: Final = ("text", "yesno", "date", "choice")
YESNO: Final = ("yes", "no", "unknown")
SUGGESTS: Final = ("event", "allegation")
MAX_FOLLOWUP_DEPTH: Final = 2
FOLDER: Final = "questionnaires"
DEFAULT_FILE: Final = "intake.toml"

_SLUG = re.compile(r"[a-z_]+")
_QUESTION_ID = re.compile(r"([a-z_]+)\.([a-z_]+)")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_TOP_KEYS: Final = frozenset({"questionnaire", "section"})
_HEAD_KEYS: Final = frozenset({"id", "version", "languages", "title"})
_SECTION_KEYS: Final = frozenset({"id", "title", "question"})
_QUESTION_KEYS: Final = frozenset({"id", "kind", "text", "hint", "suggests", "choices", "followup"})
_FOLLOWUP_KEYS: Final = _QUESTION_KEYS | {"when"}
_CHOICE_KEYS: Final = frozenset({"id", "label"})


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, source: str | os.PathLike[str], problems: list[str]) -> None:
        self.source = str(source)
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.source}: {count} problem{'s' if count != 1 else ''}:\n{lines}")


def _pick(texts: Mapping[str, str], lang: str) -> str:
    """The text in ``lang``, else its base language ('es-SV' -> 'es'), else English, else any."""
    for candidate in (lang, lang.split("-")[0], "en"):
        value = texts.get(candidate)
        if value:
            return value
    return next((v for v in texts.values() if v), "")


def _frozen(texts: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(texts))


@dataclass(frozen=True)
class Choice:
    """One possible answer of a ``choice`` question: a stable id and its label per language."""

    id: str
    label: Mapping[str, str] = field(hash=False)

    def label_in(self, lang: str) -> str:
        """The label in ``lang``, falling back to English, then to any language."""
        return _pick(self.label, lang)


@dataclass(frozen=True)
class Question:
    """A question of a section, or a follow-up of another question (``depth`` 1 or 2).

    ``when`` holds the parent answers that show a follow-up (empty for top-level questions);
    ``parent`` is the parent's id; ``section`` is the id of the section it belongs to.
    """

    id: str
    section: str
    kind: str
    text: Mapping[str, str] = field(hash=False)
    hint: Mapping[str, str] = field(hash=False)
    choices: tuple[Choice, ...] = ()
    followups: tuple[Question, ...] = ()
    when: tuple[str, ...] = ()
    parent: str | None = None
    suggests: str | None = None
    depth: int = 0

    def text_in(self, lang: str) -> str:
        """The question in ``lang``, falling back to English, then to any language."""
        return _pick(self.text, lang)

    def hint_in(self, lang: str) -> str:
        """The interviewer's hint in ``lang``, falling back to English, then to any language."""
        return _pick(self.hint, lang)

    def choice_label(self, choice_id: str, lang: str) -> str:
        """The label of choice ``choice_id`` in ``lang``; KeyError if the question has no such choice."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.label_in(lang)
        raise KeyError(f"{self.id} has no choice {choice_id!r}")

    def walk(self) -> Iterator[Question]:
        """This question, then its follow-ups depth-first."""
        yield self
        for followup in self.followups:
            yield from followup.walk()


@dataclass(frozen=True)
class Section:
    """A titled group of questions, asked in order."""

    id: str
    title: Mapping[str, str] = field(hash=False)
    questions: tuple[Question, ...]

    def title_in(self, lang: str) -> str:
        """The title in ``lang``, falling back to English, then to any language."""
        return _pick(self.title, lang)


@dataclass(frozen=True)
class Questionnaire:
    """A whole interview guide: its id, version, languages, title and sections."""

    id: str
    version: str
    languages: tuple[str, ...]
    title: Mapping[str, str] = field(hash=False)
    sections: tuple[Section, ...]

    @property
    def ref(self) -> str:
        """'intake@2026.1': what a visit records as the questionnaire it used."""
        return f"{self.id}@{self.version}"

    def title_in(self, lang: str) -> str:
        """The title in ``lang``, falling back to English, then to any language."""
        return _pick(self.title, lang)

    def all_questions(self) -> list[Question]:
        """Every question, depth-first: each follow-up right after its parent."""
        return [q for section in self.sections for top in section.questions for q in top.walk()]

    def question(self, qid: str) -> Question:
        """The question (or follow-up) with id ``qid``; KeyError if there is none."""
        try:
            return self._index[qid][0]
        except KeyError:
            raise KeyError(f"{self.ref} has no question {qid!r}") from None

    def section_of(self, qid: str) -> Section:
        """The section holding question (or follow-up) ``qid``; KeyError if there is none."""
        try:
            return self._index[qid][1]
        except KeyError:
            raise KeyError(f"{self.ref} has no question {qid!r}") from None

    def visible_questions(self, answers: Mapping[str, str | None]) -> list[Question]:
        """The questions to show given ``answers`` (question id -> answer value), depth-first.

        Top-level questions are always shown; a follow-up is shown when its parent is shown and the
        parent's answer is one of the follow-up's ``when`` values.
        """
        visible: list[Question] = []

        def visit(question: Question) -> None:
            visible.append(question)
            answer = answers.get(question.id)
            if answer is None:
                return
            for followup in question.followups:
                if answer in followup.when:
                    visit(followup)

        for section in self.sections:
            for question in section.questions:
                visit(question)
        return visible

    @cached_property
    def _index(self) -> dict[str, tuple[Question, Section]]:
        return {
            q.id: (q, section) for section in self.sections for top in section.questions for q in top.walk()
        }


# -- loading --------------------------------------------------------------------------------------


def default_path() -> Path:
    """The shipped intake questionnaire."""
    return resource_path(FOLDER, DEFAULT_FILE)


def available() -> list[Path]:
    """The questionnaire files shipped in ``resources/questionnaires/``, sorted by name."""
    folder = resource_path(FOLDER)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def load_questionnaire(path: str | os.PathLike[str] | None = None) -> Questionnaire:
    """The questionnaire in ``path`` (default: the shipped intake guide).

    Files are read once and cached per path (re-read when the file changes on disk). Raises
    :class:`QuestionnaireError` listing every problem when the file cannot be read, is not valid
    TOML or does not pass :func:`validate`.
    """
    source = Path(path) if path is not None else default_path()
    try:
        resolved = source.resolve()
        stat = resolved.stat()
    except OSError as exc:
        raise QuestionnaireError(source, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    return _load(resolved, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load(path: Path, _mtime_ns: int, _size: int) -> Questionnaire:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise QuestionnaireError(path, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise QuestionnaireError(path, [f"not valid TOML: {exc}"]) from exc
    problems = validate(data)
    if problems:
        raise QuestionnaireError(path, problems)
    return _build(data)


def _build(data: dict[str, Any]) -> Questionnaire:
    head = data["questionnaire"]
    sections = tuple(
        Section(
            id=raw["id"],
            title=_frozen(raw["title"]),
            questions=tuple(_build_question(q, raw["id"]) for q in raw["question"]),
        )
        for raw in data["section"]
    )
    return Questionnaire(
        id=head["id"],
        version=head["version"],
        languages=tuple(head["languages"]),
        title=_frozen(head["title"]),
        sections=sections,
    )


def _build_question(raw: dict[str, Any], section: str, parent: str | None = None, depth: int = 0) -> Question:
    return Question(
        id=raw["id"],
        section=section,
        kind=raw["kind"],
        text=_frozen(raw["text"]),
        hint=_frozen(raw["hint"]),
        choices=tuple(Choice(c["id"], _frozen(c["label"])) for c in raw.get("choices", ())),
        followups=tuple(_build_question(f, section, raw["id"], depth + 1) for f in raw.get("followup", ())),
        when=tuple(raw.get("when", ())),
        parent=parent,
        suggests=raw.get("suggests"),
        depth=depth,
    )


# -- validation -----------------------------------------------------------------------------------


def validate(data: dict[str, Any]) -> list[str]:
    """Every problem of a parsed questionnaire file, as messages for maintainers (empty: valid).

    Checks: the tables and keys expected (unknown keys are problems), every text, hint, title and
    choice label present and non-empty in every declared language (and in no other), id shapes
    (sections and choices ``[a-z_]+``, questions ``<section id>.<name>``), ids unique across the file
    (follow-ups included) and choice ids unique within their question, kinds, choices only and
    always on ``choice`` questions, ``suggests`` values, follow-ups only under ``yesno`` and
    ``choice`` questions with ``when`` values valid for their parent, and at most
    :data:`MAX_FOLLOWUP_DEPTH` levels of follow-ups.
    """
    return _Checker().run(data)


def _non_empty(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.languages: tuple[str, ...] = ()
        self.question_ids: set[str] = set()

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def run(self, data: Any) -> list[str]:
        if not isinstance(data, dict):
            return ["the file must be a TOML document (a table)"]
        self.unknown_keys("file", data, _TOP_KEYS)
        self.head(data.get("questionnaire"))
        sections = data.get("section")
        if not isinstance(sections, list) or not sections:
            self.add("file", "no [[section]] tables")
            return self.problems
        section_ids: set[str] = set()
        for n, raw in enumerate(sections, 1):
            self.section(raw, n, section_ids)
        return self.problems

    def unknown_keys(self, where: str, table: dict[str, Any], allowed: frozenset[str]) -> None:
        for key in table:
            if key not in allowed:
                hint = " (only follow-ups have 'when')" if key == "when" else ""
                self.add(where, f"unknown key {key!r}{hint}")

    def texts(self, where: str, name: str, value: Any) -> None:
        """A table of non-empty texts, one per declared language and no other."""
        if value is None:
            self.add(where, f"missing {name}")
            return
        if not isinstance(value, dict):
            self.add(where, f'{name} must be a table of texts by language, like {{ en = "..." }}')
            return
        missing = [lang for lang in self.languages if not _non_empty(value.get(lang))]
        if missing:
            self.add(where, f"{name} is missing or empty in language(s): {', '.join(missing)}")
        if self.languages:
            extra = [lang for lang in value if lang not in self.languages]
            if extra:
                self.add(where, f"{name} has language(s) not declared in [questionnaire]: {', '.join(extra)}")
        elif not value:
            self.add(where, f"{name} is empty")

    def head(self, head: Any) -> None:
        where = "[questionnaire]"
        if not isinstance(head, dict):
            self.add("file", "missing [questionnaire] table")
            return
        self.unknown_keys(where, head, _HEAD_KEYS)
        languages = head.get("languages")
        if not isinstance(languages, list) or not languages:
            self.add(where, "languages must be a non-empty list of language codes")
        else:
            good = []
            for lang in languages:
                if not isinstance(lang, str) or not _LANGUAGE.fullmatch(lang):
                    self.add(where, f"bad language code {lang!r}")
                elif lang in good:
                    self.add(where, f"language {lang!r} listed twice")
                else:
                    good.append(lang)
            self.languages = tuple(good)
        qid = head.get("id")
        if not isinstance(qid, str) or not _SLUG.fullmatch(qid):
            self.add(where, f"id must match [a-z_]+, got {qid!r}")
        version = head.get("version")
        if not isinstance(version, str) or not version.strip():
            self.add(where, "version must be a non-empty string")
        self.texts(where, "title", head.get("title"))

    def section(self, raw: Any, n: int, seen: set[str]) -> None:
        if not isinstance(raw, dict):
            self.add(f"section {n}", "must be a table")
            return
        sid = raw.get("id")
        where = f"section {n} ({sid})" if isinstance(sid, str) else f"section {n}"
        self.unknown_keys(where, raw, _SECTION_KEYS)
        if not isinstance(sid, str) or not _SLUG.fullmatch(sid):
            self.add(where, f"id must match [a-z_]+, got {sid!r}")
            sid = None
        elif sid in seen:
            self.add(where, f"duplicate section id {sid!r}")
        else:
            seen.add(sid)
        self.texts(where, "title", raw.get("title"))
        questions = raw.get("question")
        if not isinstance(questions, list) or not questions:
            self.add(where, "no [[section.question]] tables")
            return
        for m, question in enumerate(questions, 1):
            at = f"{where}, question {m}"
            self.question(question, sid, at, depth=0, parent_kind=None, parent_values=())

    def question(
        self,
        raw: Any,
        section: str | None,
        where: str,
        *,
        depth: int,
        parent_kind: str | None,
        parent_values: tuple[str, ...],
    ) -> None:
        if not isinstance(raw, dict):
            self.add(where, "must be a table")
            return
        qid = raw.get("id")
        if isinstance(qid, str):
            where = f"question {qid}" if depth == 0 else f"follow-up {qid}"
        self.unknown_keys(where, raw, _FOLLOWUP_KEYS if depth else _QUESTION_KEYS)
        self.question_id(where, qid, section)

        kind = raw.get("kind")
        if kind not in KINDS:
            self.add(where, f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
            kind = None
        self.texts(where, "text", raw.get("text"))
        self.texts(where, "hint", raw.get("hint"))
        suggests = raw.get("suggests")
        if suggests is not None and suggests not in SUGGESTS:
            self.add(where, f"suggests must be one of {', '.join(SUGGESTS)}, got {suggests!r}")

        choice_ids = self.choices(where, kind, raw.get("choices"))
        if depth:
            self.when(where, raw.get("when"), parent_kind, parent_values)

        followups = raw.get("followup")
        if followups is None:
            return
        if not isinstance(followups, list) or not followups:
            self.add(where, "followup must be a list of [[...followup]] tables")
            return
        if kind in ("text", "date"):
            self.add(where, f"a {kind} question cannot have follow-ups (only yesno and choice questions)")
        if depth + 1 == MAX_FOLLOWUP_DEPTH + 1:
            self.add(where, f"follow-ups nested deeper than {MAX_FOLLOWUP_DEPTH} levels")
        values = YESNO if kind == "yesno" else choice_ids if kind == "choice" else ()
        for m, followup in enumerate(followups, 1):
            at = f"{where}, follow-up {m}"
            self.question(followup, section, at, depth=depth + 1, parent_kind=kind, parent_values=values)

    def question_id(self, where: str, qid: Any, section: str | None) -> None:
        match = _QUESTION_ID.fullmatch(qid) if isinstance(qid, str) else None
        if match is None:
            self.add(where, f"id must look like '<section id>.<name>' with [a-z_]+ parts, got {qid!r}")
            return
        if section is not None and match.group(1) != section:
            self.add(where, f"id must start with its section id {section!r}")
        if qid in self.question_ids:
            self.add(where, f"duplicate question id {qid!r}")
        self.question_ids.add(qid)

    def choices(self, where: str, kind: str | None, choices: Any) -> tuple[str, ...]:
        if kind != "choice":
            if choices is not None and kind is not None:
                self.add(where, f"choices are only for choice questions, not {kind}")
            return ()
        if not isinstance(choices, list) or not choices:
            self.add(where, "a choice question has no choices")
            return ()
        if len(choices) < 2:
            self.add(where, "a choice question needs at least two choices")
        ids: list[str] = []
        for n, choice in enumerate(choices, 1):
            if not isinstance(choice, dict):
                self.add(where, f"choice {n} must be a table {{ id = ..., label = {{ ... }} }}")
                continue
            cid = choice.get("id")
            at = f"{where}, choice {cid if isinstance(cid, str) else n}"
            self.unknown_keys(at, choice, _CHOICE_KEYS)
            if not isinstance(cid, str) or not _SLUG.fullmatch(cid):
                self.add(at, f"choice id must match [a-z_]+, got {cid!r}")
            elif cid in ids:
                self.add(at, f"duplicate choice id {cid!r}")
            else:
                ids.append(cid)
            self.texts(at, "label", choice.get("label"))
        return tuple(ids)

    def when(self, where: str, when: Any, parent_kind: str | None, values: tuple[str, ...]) -> None:
        if not isinstance(when, list) or not when or not all(isinstance(v, str) for v in when):
            self.add(where, "a follow-up needs 'when', a non-empty list of parent answers")
            return
        if len(set(when)) != len(when):
            self.add(where, "'when' lists a value twice")
        if parent_kind not in ("yesno", "choice"):
            return  # the parent is already reported (text/date parent or unknown kind)
        bad = [v for v in when if v not in values]
        if bad:
            expected = "yes, no, unknown" if parent_kind == "yesno" else "the parent's choice ids"
            listed = ", ".join(map(repr, bad))
            self.add(where, f"'when' value(s) {listed} not valid for the parent ({expected})")
