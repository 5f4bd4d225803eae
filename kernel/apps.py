from django.apps import AppConfig


class KernelConfig(AppConfig):
    """The shared vocabulary every app uses; no models."""

    name = "kernel"
    verbose_name = "Kernel"
