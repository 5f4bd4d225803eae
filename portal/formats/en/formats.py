# English, British style (as GOV.UK writes dates): day month year, never 11/30/2026 or 30/11/2026,
# which readers on either side of the Atlantic read differently; the clock is 24-hour, as in Latvia.
DATE_FORMAT = "j F Y"  # 30 November 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"  # 30 November 2026, 14:05
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"  # 30 Nov 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 30 Nov 2026, 14:05
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-30
    "%d %b %Y",  # 30 Nov 2026
    "%d %B %Y",  # 30 November 2026
    "%d/%m/%Y",  # 30/11/2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
