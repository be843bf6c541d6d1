"""Messages shown to people, written once in English and translatable on the pages.

A refusal ("VARRP caps reintegration support at 1,000.00 GBP per person; ...") is
read by a caseworker on an Albanian page, by a client of the API and by someone at the
command line. The API and the CLI keep English, word for word; the pages translate.
So a message is written as a template with named parameters, marked for extraction:

    raise Invalid(N_("{code} caps {applies_to} at {cap} per person", code=..., ...), "amount")

`N_` returns a `Message`: a `str` whose text is the English template formatted with
the parameters, so everything that treats it as a string (JSON, logs, tests, `in`)
sees the English sentence. It also keeps `template` and `params`, so a page can look
the template up in its catalogue and format the translation with the same parameters
(`localise`, below). A parameter that is a stored code (a role, a status, a
fact's name) is wrapped in `Word`, so a page shows it through the vocabulary labels;
a parameter that is itself a `Message` is translated in turn.

Templates use `str.format` fields (`{name}`, `{name!r}`, `{amount:,}`); a literal
brace is doubled. Babel extracts the first argument of every `N_(...)` call
(babel.cfg), and `tests/unit/web/test_catalogues.py` fails if one has no translation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rrms.domain.labels import LABELS

__all__ = ["Message", "N_", "Word", "WordList", "localise", "message_of"]


class Message(str):
    """An English sentence that remembers the template and parameters it was made from."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: dict[str, Any] | None = None) -> Message:
        """Format `template` with `params` (English); keep both for translating."""
        values = dict(params or {})
        made = super().__new__(cls, template.format(**values))
        made.template = template
        made.params = values
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as a message again (worker processes, caches)."""
        return (Message, (self.template, self.params))


def N_(template: str, /, **params: Any) -> Message:  # noqa: N802 - the name Babel looks for
    """Mark `template` for extraction and fill it with `params` (see the module's text)."""
    return Message(template, params)


class Word(str):
    """A stored code used as a message parameter: English shows `english`, pages a label.

    `Word("programme_manager", "programme manager")` reads "programme manager" in the
    English sentence; a page shows the label of `programme_manager` in its language.
    """

    code: str

    def __new__(cls, code: str, english: str | None = None) -> Word:
        """The code, read in English as `english` (default: the code itself)."""
        made = super().__new__(cls, code if english is None else english)
        made.code = code
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as a word again."""
        return (Word, (self.code, str(self)))


class WordList(str):
    """Several stored codes as one parameter ("community, birth_date"), each shown as a word.

    English reads the codes joined by `separator`; a page joins their labels.
    """

    codes: tuple[str, ...]
    separator: str

    def __new__(cls, codes: Iterable[str], separator: str = ", ") -> WordList:
        """The codes, read in English joined by `separator`."""
        listed = tuple(codes)
        made = super().__new__(cls, separator.join(listed))
        made.codes = listed
        made.separator = separator
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as a list of words again."""
        return (WordList, (self.codes, self.separator))


def message_of(error: BaseException) -> str:
    """An exception's message, keeping it a `Message` when it was raised with one.

    `str(error)` would turn a `Message` back into a plain string and lose its template,
    so code that passes one exception's text on to another uses this instead.
    """
    text = getattr(error, "message", None)
    if isinstance(text, str):
        return text
    if error.args and isinstance(error.args[0], str):
        return error.args[0]
    return str(error)


def localise(
    message: Message,
    gettext: Callable[[str], str],
    word: Callable[[object], str],
    quoted: Callable[[Message, str], str] | None = None,
) -> str:
    """A service's message in the page's language, its parameters shown alike.

    The template is looked up in the catalogue and formatted with the parameters: a
    `Word` is shown as its label, a `WordList` as its labels, a `Message` translated in
    turn. A translation that cannot be formatted falls back to the English text, so a
    broken catalogue entry never hides a refusal. `quoted` may add to a translated
    message (a quoted clause's gloss).
    """
    params: dict[str, Any] = {}
    for name, value in message.params.items():
        if isinstance(value, Message):
            params[name] = localise(value, gettext, word, quoted)
        elif isinstance(value, Word):
            params[name] = word(value.code) if value.code in LABELS else str(value)
        elif isinstance(value, WordList):
            params[name] = value.separator.join(word(code) for code in value.codes)
        else:
            params[name] = value
    try:
        text = gettext(message.template).format(**params)
    except (KeyError, IndexError, ValueError):
        text = message.template.format(**params)
    return quoted(message, text) if quoted is not None else text
