"""The body plans, one per form in esprits.json; each paints its species family's silhouette into a Sketch."""

from __future__ import annotations

import random
from collections.abc import Callable

from faye.config import EspritForm
from faye.render.paint.forms import aquatic, bird, critter, golem, insect, quadruped, serpent, shelled, spirit
from faye.render.paint.sketch import Anatomy, Sketch

BodyPlan = Callable[[Sketch], Anatomy]

BODY_PLANS: dict[str, BodyPlan] = {
    EspritForm.QUADRUPED: quadruped.paint,
    EspritForm.BIRD: bird.paint,
    EspritForm.SERPENT: serpent.paint,
    EspritForm.INSECT: insect.paint,
    EspritForm.SHELLED: shelled.paint,
    EspritForm.AQUATIC: aquatic.paint,
    EspritForm.SPIRIT: spirit.paint,
    EspritForm.CRITTER: critter.paint,
    EspritForm.GOLEM: golem.paint,
}


def body_plan(form: str, rng: random.Random) -> BodyPlan:
    """The form's body plan; an Esprit without a known form (one since removed from esprits.json) gets one by seed."""
    plan = BODY_PLANS.get(form)
    return plan if plan is not None else rng.choice(list(BODY_PLANS.values()))
