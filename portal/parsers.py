"""The API's request parser (kept apart from portal.api: DRF's settings import it early)."""

import json

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class JsonOnlyParser(JSONParser):
    """The API's one parser: JSON, refusing a NUL character anywhere (no text of ours holds one, and
    PostgreSQL cannot store it) with 400 instead of a database error."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if "\\u0000" in json.dumps(data):  # json.dumps writes a NUL as \\u0000
            raise exceptions.ParseError(_("The request contains a NUL character."))
        return data
