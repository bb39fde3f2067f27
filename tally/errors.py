"""The data package's error types, shared by the loader (``tally.data``) and the rules (``tally.rules``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One violated rule, located as precisely as the rule allows."""

    file: str
    rule: str
    detail: str
    line: int | None = None  # line in the CSV file; the header is line 1
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.rule} -- {self.detail}"


class DataError(Exception):
    """The data package is invalid. ``problems`` lists every violation found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0])
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(first + more)
