"""docs/access.md's permission table must say exactly what `PERMISSIONS` enforces."""

import re
from pathlib import Path

from rrms.domain.vocabulary import ROLES
from rrms.services.core.access import PERMISSIONS

DOC = Path(__file__).parents[2] / "docs" / "access.md"
ACTIONS = ("read", "write")


def parse_table() -> tuple[list[str], dict[str, dict[str, set[str]]]]:
    """(roles in header order, entity -> role -> actions) from the marked table."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- permissions-table:start -->\n(.*?)<!-- permissions-table:end -->", text, re.S
    )
    assert block, "docs/access.md lost its permissions-table markers"
    lines = [line.strip() for line in block.group(1).strip().splitlines()]

    def cells(line: str) -> list[str]:
        return [cell.strip().strip("`") for cell in line.strip("|").split("|")]

    header = cells(lines[0])
    assert header[0] == "entity"
    roles = header[1:]
    table: dict[str, dict[str, set[str]]] = {}
    for line in lines[2:]:
        entity, *values = cells(line)
        assert len(values) == len(roles), f"row {entity!r} has {len(values)} cells"
        assert entity not in table, f"{entity!r} is listed twice"
        table[entity] = {}
        for role, value in zip(roles, values, strict=True):
            actions = set() if value == "—" else {a.strip() for a in value.split(",")}
            assert actions <= set(ACTIONS), f"{entity}/{role}: unknown action in {value!r}"
            table[entity][role] = actions
    return roles, table


def test_doc_lists_every_role_and_entity():
    roles, table = parse_table()
    assert roles == list(ROLES)
    assert list(table) == list(PERMISSIONS)


def test_doc_agrees_with_permissions_cell_by_cell():
    _, table = parse_table()
    for entity, by_action in PERMISSIONS.items():
        for role in ROLES:
            expected = {action for action in ACTIONS if role in by_action.get(action, ())}
            assert table[entity][role] == expected, (
                f"docs/access.md says {entity}/{role} may {sorted(table[entity][role])}, "
                f"PERMISSIONS says {sorted(expected)}"
            )
