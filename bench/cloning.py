"""Cloning template cases in SQL (bench/timers.py, bench/scale.py): every table that names a petition or an instance
copied by one INSERT … SELECT per table over a map of (template → clone) ids and tracking codes."""

from sqlalchemy import String

from app.db import Base

KEPT_BY_TRIGGERS = {"unit_case"}  # the database writes these rows itself as the clones go in (0022_unit_cases)
TARGETS = {"petition": ("m.tpl_petition", "m.petition_id"), "process_instance": ("m.tpl_instance", "m.instance_id")}


def cloned_tables():
    """process_instance, petition, then every table that refers to either, in foreign-key order (but those the
    database's triggers fill)."""
    roots = set(TARGETS)
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name not in KEPT_BY_TRIGGERS
        and (table.name in roots or {fk.column.table.name for fk in table.foreign_keys} & roots)
    ]


def clone_select(table, map_table: str, value_of=lambda table, column, name: None) -> tuple[list[str], str]:
    """Columns and SELECT copying a template's rows of `table` for every clone of `map_table` (aliased m): ids
    and references to the petition and instance become the clone's, strings get the clone's tracking code, and
    `value_of(table, column, 't."col"')` may give any other column's SQL (None: the default)."""
    columns, values, joins = [], [], []
    for column in table.columns:
        name = f't."{column.name}"'
        if table.name in TARGETS and column.primary_key:
            template, clone = TARGETS[table.name]
            values.append(clone)
            joins.append(f"{name} = {template}")
        elif column.foreign_keys and (ref := next(iter(column.foreign_keys)).column.table.name) in TARGETS:
            template, clone = TARGETS[ref]
            values.append(f"CASE WHEN {name} = {template} THEN {clone} ELSE {name} END")
            if table.name not in TARGETS:
                joins.append(f"{name} = {template}")
        elif column.primary_key and column.autoincrement is not False and len(table.primary_key.columns) == 1:
            continue  # a new row id
        elif (special := value_of(table, column, name)) is not None:
            values.append(special)
        elif isinstance(column.type, String):
            values.append(f"replace({name}, m.tpl_code, m.code)")
        else:
            values.append(name)
        columns.append(f'"{column.name}"')
    where = joins[0] if table.name in TARGETS else " OR ".join(joins)
    return columns, f'SELECT {", ".join(values)} FROM {map_table} m JOIN "{table.name}" t ON ({where})'
