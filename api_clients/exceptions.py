"""What the idempotency records answer when a key cannot be taken (the API glue maps them to problems)."""


class IdempotencyConflict(Exception):
    """A request with this key is still being processed (answer 409)."""


class IdempotencyKeyReused(Exception):
    """This key was used with another request (answer 422)."""
