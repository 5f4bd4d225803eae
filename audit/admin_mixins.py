"""The Django admin as a door to audited data: one mixin that records every add, change and delete.

    class BoardMembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
        audit_action = "register.board_membership"   # .add, .change, .delete

Each event names the admin user and their address (the Actor of the request), the object, and its
fields: for an addition the values entered, for a change the changed fields' new values and their
`previous` ones, for a deletion the values it had and what was deleted with it (cascades). The bulk
"delete selected" action writes one event per object. Event and write are in one transaction.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.db.models.deletion import Collector

from kernel.actors import Actor
from kernel.http import client_ip

from .services import record


def admin_actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request))


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _stored(obj: models.Model, field) -> Any:
    """A field's value as stored: a foreign key as its id, a many-to-many as the sorted ids."""
    if field.many_to_many:
        return sorted(getattr(obj, field.name).values_list("pk", flat=True)) if obj.pk else []
    return field.value_from_object(obj)


def _entered(form, field) -> Any:
    """A field's value as the form is saving it (a many-to-many is saved after the object)."""
    if field.many_to_many:
        return sorted(item.pk for item in form.cleaned_data.get(field.name) or ())
    return field.value_from_object(form.instance)


def _deleted_with(obj: models.Model) -> dict[str, list[str]]:
    """What deleting `obj` deletes too, by model: the register rows a person's deletion takes along."""
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    found: dict[str, set[str]] = {}
    batches = [(model, [o.pk for o in objs]) for model, objs in collector.data.items()]
    batches += [(qs.model, list(qs.values_list("pk", flat=True))) for qs in collector.fast_deletes]
    for model, pks in batches:
        if model._meta.auto_created:  # the rows of a many-to-many table
            continue
        found.setdefault(model._meta.label_lower, set()).update(str(pk) for pk in pks)
    found.get(obj._meta.label_lower, set()).discard(str(obj.pk))
    return {label: sorted(pks) for label, pks in sorted(found.items()) if pks}


class AuditedAdminMixin:
    """Put it before ModelAdmin (or UserAdmin) and name the events with `audit_action`."""

    audit_action: str = ""
    audit_exclude_fields: tuple[str, ...] = ("password",)  # never in the trail, even hashed

    def _action(self, verb: str) -> str:
        if not self.audit_action:
            raise ImproperlyConfigured(f"{type(self).__name__} names no audit_action.")
        return f"{self.audit_action}.{verb}"

    def _audited_fields(self, form) -> list:
        opts = self.model._meta
        fields = [*opts.concrete_fields, *opts.many_to_many]
        return [f for f in fields if f.name in form.fields and f.name not in self.audit_exclude_fields]

    def save_model(self, request, obj, form, change):
        fields = self._audited_fields(form)
        with transaction.atomic(using=router.db_for_write(type(obj))):
            previous = {}
            if change:  # the row as stored, locked until the change and its event are written
                stored = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
                # what the form calls changed and really differs (a time re-entered in another zone does not)
                fields = [
                    f
                    for f in fields
                    if f.name in form.changed_data and _stored(stored, f) != _entered(form, f)
                ]
                previous = {f.name: _stored(stored, f) for f in fields}
            super().save_model(request, obj, form, change)
            if change and not fields:
                return  # saved as it was: nothing changed
            data = {"fields": _jsonable({f.name: _entered(form, f) for f in fields})}
            if change:
                data["previous"] = _jsonable(previous)
            record(
                action=self._action("change" if change else "add"),
                actor=admin_actor(request),
                target=obj,
                data=data,
            )

    def _record_deletion(self, obj, actor: Actor) -> None:
        opts = obj._meta
        fields = [
            f for f in [*opts.concrete_fields, *opts.many_to_many] if f.name not in self.audit_exclude_fields
        ]
        record(
            action=self._action("delete"),
            actor=actor,
            target=obj,
            data={
                "previous": _jsonable({f.name: _stored(obj, f) for f in fields}),
                "deleted_with": _deleted_with(obj),
            },
        )

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(type(obj))):
            self._record_deletion(obj, admin_actor(request))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        """The "delete selected" action: one event per object, in the transaction of the deletion."""
        actor = admin_actor(request)
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                self._record_deletion(obj, actor)
            super().delete_queryset(request, queryset)
