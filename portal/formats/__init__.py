"""The portal's date and time formats (FORMAT_MODULE_PATH): Latvian as Latvians write dates
(30.11.2026., 30.11.2026. 14:05), English as GOV.UK-style British English (30 Nov 2026), which no
reader can take for 11 November. Formats not named here fall back to Django's for the language."""
