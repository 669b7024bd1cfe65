"""What each question kind accepts: reading a submitted page into answer values, and checking them.

Form names: `q<id>` holds a rating, an option index or text (and every checked box of a multiple choice);
`q<id>-<option index>` holds the rank given to one option of a ranking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from portal.inputs import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from portal.surveys.models import Answer, Question, QuestionKind

MAX_TEXT = 2000
SHORT_TEXT = 200


class Submitted(Protocol):
    """A form's values as Werkzeug's MultiDict gives them."""

    def get(self, key: str, default: str | None = None) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class Value:
    number: int | None = None
    choice: int | None = None
    rank: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class Reading:
    """A question's part of a submitted page: the values, or the message saying what is wrong."""

    values: tuple[Value, ...] = ()
    error: str | None = None

    @property
    def empty(self) -> bool:
        return not self.values and self.error is None


def field_name(question: Question, option: int | None = None) -> str:
    return f"q{question.id}" if option is None else f"q{question.id}-{option}"


def read(question: Question, form: Submitted, *, required: bool) -> Reading:
    """The answer given to `question` on a submitted page; `required` is False when saving to finish later."""
    reading = _READERS[question.kind](question, form)
    if reading.empty and required and question.required:
        return Reading(error=missing_message(question))
    return reading


def missing_message(question: Question) -> str:
    """What a required question left empty says."""
    if question.kind is QuestionKind.text:
        return f"Answer “{question.prompt}”."
    if question.kind is QuestionKind.ranking:
        return f"Rank every option in “{question.prompt}”."
    if question.kind is QuestionKind.multiple:
        return f"Choose at least {max(1, question.min_choices or 1)} for “{question.prompt}”."
    return f"Choose an answer for “{question.prompt}”."


def _option_index(question: Question, raw: str | None) -> int | None:
    if raw is None or not raw.strip().isdigit():
        return None
    index = int(raw)
    return index if 0 <= index < len(question.options) else None


def _read_rating(question: Question, form: Submitted) -> Reading:
    raw = (form.get(field_name(question)) or "").strip()
    if not raw:
        return Reading()
    if not raw.lstrip("-").isdigit() or not question.scale_min <= int(raw) <= question.scale_max:
        return Reading(error=f"Choose a number from {question.scale_min} to {question.scale_max} "
                             f"for “{question.prompt}”.")
    return Reading((Value(number=int(raw)),))


def _read_single(question: Question, form: Submitted) -> Reading:
    raw = form.get(field_name(question))
    if not raw:
        return Reading()
    index = _option_index(question, raw)
    if index is None:
        return Reading(error=f"Choose one of the options for “{question.prompt}”.")
    return Reading((Value(choice=index),))


def _read_multiple(question: Question, form: Submitted) -> Reading:
    raws = [r for r in form.getlist(field_name(question)) if r]
    if not raws:
        return Reading()
    indexes = sorted({i for i in (_option_index(question, r) for r in raws) if i is not None})
    if len(indexes) != len(set(raws)):
        return Reading(error=f"Choose from the options given for “{question.prompt}”.")
    if question.min_choices and len(indexes) < question.min_choices:
        return Reading(error=f"Choose at least {question.min_choices} for “{question.prompt}”; "
                             f"you chose {len(indexes)}.")
    if question.max_choices and len(indexes) > question.max_choices:
        return Reading(error=f"Choose no more than {question.max_choices} for “{question.prompt}”; "
                             f"you chose {len(indexes)}.")
    return Reading(tuple(Value(choice=i) for i in indexes))


def _read_ranking(question: Question, form: Submitted) -> Reading:
    count = len(question.options)
    raws = [(form.get(field_name(question, i)) or "").strip() for i in range(count)]
    if not any(raws):
        return Reading()
    if not all(raws):
        return Reading(error=f"Give every option a rank in “{question.prompt}”.")
    if not all(r.isdigit() and 1 <= int(r) <= count for r in raws):
        return Reading(error=f"Use the ranks 1 to {count} in “{question.prompt}”.")
    ranks = [int(r) for r in raws]
    if len(set(ranks)) != count:
        return Reading(error=f"Give each option a different rank in “{question.prompt}”; "
                             f"each of 1 to {count} once.")
    return Reading(tuple(Value(choice=i, rank=r) for i, r in enumerate(ranks)))


def _read_text(question: Question, form: Submitted) -> Reading:
    text = (form.get(field_name(question)) or "").strip().replace("\r\n", "\n")
    if not text:
        return Reading()
    if has_control_characters(text):  # the survey page is not a WTForms form, so the base form's check is made here
        return Reading(error=f"“{question.prompt}”: {CONTROL_CHARACTERS_MESSAGE}")
    limit = MAX_TEXT if question.long_text else SHORT_TEXT
    if len(text) > limit:
        return Reading(error=f"Shorten your answer to “{question.prompt}” to {limit:,} characters or fewer; "
                             f"it has {len(text):,}.")
    return Reading((Value(text=text),))


_READERS = {
    QuestionKind.rating: _read_rating,
    QuestionKind.single: _read_single,
    QuestionKind.alternatives: _read_single,
    QuestionKind.multiple: _read_multiple,
    QuestionKind.ranking: _read_ranking,
    QuestionKind.text: _read_text,
}


def shown(question: Question, choices_by_question: Mapping[int, Iterable[int]]) -> bool:
    """Show-if: a question that depends on an earlier one is shown only when that answer includes the option."""
    if question.show_if_question_id is None or question.show_if_option is None:
        return True
    return question.show_if_option in set(choices_by_question.get(question.show_if_question_id, ()))


def form_values(question: Question, answers: Iterable[Answer]) -> dict[str, list[str]]:
    """Saved answers as the form fields that would submit them, so a revisited page shows them again."""
    values: dict[str, list[str]] = {}
    for answer in answers:
        if question.kind is QuestionKind.ranking and answer.choice is not None:
            values[field_name(question, answer.choice)] = [str(answer.rank)]
        elif answer.number is not None:
            values[field_name(question)] = [str(answer.number)]
        elif answer.choice is not None:
            values.setdefault(field_name(question), []).append(str(answer.choice))
        elif answer.text is not None:
            values[field_name(question)] = [answer.text]
    return values


def describe(question: Question, answers: Iterable[Answer]) -> str:
    """An answer in words, for "check your answers" and the CSV export."""
    answers = list(answers)
    if not answers:
        return ""
    if question.kind is QuestionKind.rating:
        return str(answers[0].number)
    if question.kind is QuestionKind.text:
        return answers[0].text or ""
    labels = question.labels
    if question.kind is QuestionKind.ranking:
        ordered = sorted((a for a in answers if a.choice is not None), key=lambda a: a.rank or 0)
        return " > ".join(labels[a.choice] for a in ordered if a.choice < len(labels))
    return "; ".join(labels[a.choice] for a in sorted(answers, key=lambda a: a.choice or 0)
                     if a.choice is not None and a.choice < len(labels))
