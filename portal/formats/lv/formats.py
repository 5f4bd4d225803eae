# Latvian, as dates are written in Latvia: a date ends with a full stop (30.11.2026.); days and months keep a
# leading zero; the long form is "2026. gada 30. novembris"; the clock is 24-hour.
DATE_FORMAT = r"Y. \g\a\d\a j. F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y. \g\a\d\a j. F, H:i"
YEAR_MONTH_FORMAT = r"Y. \g. F"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y."
SHORT_DATETIME_FORMAT = "d.m.Y. H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# What a date field takes: ISO first (the browser's date input sends it), then as written here.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-30
    "%d.%m.%Y.",  # 30.11.2026.
    "%d.%m.%Y",  # 30.11.2026
    "%d.%m.%y.",  # 30.11.26.
    "%d.%m.%y",  # 30.11.26
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y. %H:%M:%S",
    "%d.%m.%Y. %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
