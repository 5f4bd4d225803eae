"""Settings for the case API benchmark only: the product's settings plus a URL conf that adds a
minimal Django view (bench/cases_urls.py). Never used by the product."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.cases_urls"
