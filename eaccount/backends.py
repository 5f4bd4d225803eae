"""Authentication backends that load a session's user with their person in one query (every page's
header names the person)."""

from django.contrib.auth.backends import ModelBackend

from .models import User


def user_with_person(user_id) -> User | None:
    try:
        return User._default_manager.select_related("person").get(pk=user_id)
    except User.DoesNotExist:
        return None


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
