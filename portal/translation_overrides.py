"""Strings of Django's own whose Latvian translation we correct: listed here so that makemessages
keeps them in our catalogue, which Django reads before its own.

Django's Latvian "%(size)d byte" has its forms in another order than its plural formula, so a file of
45 bytes read "45 baits"; our catalogue uses the same formula as Django's, with the forms in order.
"""

from django.utils.translation import ngettext_lazy

OVERRIDES = [ngettext_lazy("%(size)d byte", "%(size)d bytes", "size")]
