"""What every command-line test expects of a bad input: exit code 2 and one line on stderr."""
from __future__ import annotations

from click.testing import Result

__all__ = ["assert_clean_exit", "one_line_error"]


def assert_clean_exit(result: Result) -> None:
    """No unhandled exception: CliRunner swallows tracebacks, so look at the exception too."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr


def one_line_error(result: Result) -> str:
    """The one line a bad input gives, after checking it is the only one, with exit code 2."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert_clean_exit(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
