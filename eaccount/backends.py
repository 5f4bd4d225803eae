"""Authentication backends that load a session's user with their person in one query (every page's
header names the person)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from .models import Person, User


@dataclass(frozen=True)
class _Statement:
    sql: str
    compiler: object  # the SQLCompiler that wrote `sql`: it also converts the rows
    converters: dict
    user_fields: list[str]
    person_fields: list[str]


@lru_cache(maxsize=8)
def _statement(alias: str) -> _Statement:
    """The ORM's own SQL for `User.objects.select_related("person").get(pk=…)`, compiled once per
    process and database. Compiling it cost some 2 ms of Python on every request, four times the
    query itself."""
    queryset = User._default_manager.select_related("person").filter(pk=0)
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if list(params) != [0]:
        raise AssertionError(f"the user query should take only the primary key, not {params!r}")
    columns = [column for column, _sql, _alias in compiler.select]
    models = [column.target.model for column in columns]
    user_count = models.count(User)
    if models != [User] * user_count + [Person] * (len(models) - user_count):
        raise AssertionError("the user query should select the user's columns, then the person's")
    return _Statement(
        sql=sql,
        compiler=compiler,
        converters=compiler.get_converters(columns),
        user_fields=[column.target.attname for column in columns[:user_count]],
        person_fields=[column.target.attname for column in columns[user_count:]],
    )


def user_with_person(user_id) -> User | None:
    """The user with this primary key and their person (cached on it, None when they have none),
    as `User.objects.select_related("person").get(pk=user_id)` gives, or None."""
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:  # a session naming no valid key names nobody
        return None
    alias = router.db_for_read(User)
    statement = _statement(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, [user_id])
        rows = cursor.fetchall()
    if len(rows) != 1:
        return None
    if statement.converters:
        rows = statement.compiler.apply_converters(rows, statement.converters)
    row = list(next(iter(rows)))
    split = len(statement.user_fields)
    user = User.from_db(alias, statement.user_fields, row[:split])
    person = None
    if row[split] is not None:  # the person's primary key: None when the join found no person
        person = Person.from_db(alias, statement.person_fields, row[split:])
    person_field = User._meta.get_field("person")
    person_field.set_cached_value(user, person)
    if person is not None:
        person_field.remote_field.set_cached_value(person, user)
    return user


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
