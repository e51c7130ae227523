"""Text laid out in a terminal's columns, where a Chinese character takes two: its width, and argparse's help.

Standard library only, like the config modules: the template's generation hook reaches this package first.
"""

from __future__ import annotations

import argparse
import re
import unicodedata


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: a Chinese character (or full-width punctuation) takes two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


# The pieces a line of help may break between: a space, a run of Latin text, or one Chinese character with
# the punctuation that must not begin a line.
WRAP_PIECES = re.compile(r"\s+|[^\s\u2e80-\uffef]+[，。；：、）！？]*|[\u2e80-\uffef][，。；：、）！？]*")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, measuring Chinese text in terminal columns (a character takes two): the help wraps
    at the terminal's width and the usage lines stay aligned. English text is laid out exactly as argparse does."""

    def _format_usage(self, usage, actions, groups, prefix):
        if prefix is None:
            prefix = argparse._("usage: ")  # argparse's word, in the current language (i18n.use)
        if display_width(prefix) == len(prefix):
            return super()._format_usage(usage, actions, groups, prefix)
        # argparse aligns the usage's lines by len(prefix): lay them out for a stand-in as wide as the prefix.
        stand_in = " " * display_width(prefix)
        return prefix + super()._format_usage(usage, actions, groups, stand_in)[len(stand_in):]

    def _split_lines(self, text, width):
        if display_width(text) == len(text):
            return super()._split_lines(text, width)
        lines, line = [], ""
        for piece in WRAP_PIECES.findall(self._whitespace_matcher.sub(" ", text).strip()):
            if piece.isspace():
                line += " "
            elif line.strip() and display_width(line + piece) > width:
                lines.append(line.rstrip())
                line = piece
            else:
                line += piece
        return [*lines, line.rstrip()] if line.strip() else lines

    def _fill_text(self, text, width, indent):
        if display_width(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in self._split_lines(text, width - len(indent)))
