"""The test suite's own layout: pytest imports test modules by their file name (the
folders are not packages), so two test files of one name stop the whole run at
collection. This fails first, naming them."""

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_every_test_file_name_is_unique() -> None:
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    repeated = sorted(name for name, count in names.items() if count > 1)
    assert not repeated, f"test files share a name (rename one of each): {repeated}"
