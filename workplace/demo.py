"""The workplace's demo state: the escalation job run once over the demo cases, so that the Valmiera
centre's supervisor (Inga) finds the late demo case in her escalations at once (beat runs it every
15 minutes after that). Safe to run again: an escalation is raised once per case and deadline."""

from __future__ import annotations

from kernel.actors import Actor

from .services import escalations_raise


def load_demo_workplace() -> int:
    return escalations_raise(actor=Actor.system("Escalations (demo)"))
