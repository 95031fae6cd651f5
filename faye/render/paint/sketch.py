"""The creature under construction: masks a body plan draws its parts into, and what it reports back.

A body plan draws in supersampled pixels, facing right, standing on `ground`, in units of `u` (the size an
Esprit's HP gives it). It draws into four 'L' masks: `front` (the body and the near limbs), `back` (the far
limbs and wing, shaded darker so the creature has depth), `marks` (its pattern: stripes, spots, scutes,
clipped to the body later) and `glow` (parts that shine: a lantern, a flame mane, a crystal).
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field
from enum import StrEnum

from PIL import Image, ImageDraw, ImageOps

from faye.render.data import ArtSpec
from faye.render.layers import Size
from faye.render.paint.tools import Point, mirror, oval, through


@dataclass(frozen=True)
class Traits:
    """Stats scaled to 0..1 against the game's usual ranges: the knobs that vary proportions within a form."""

    hp: float
    attack: float
    defense: float
    speed: float
    magic: float
    crit: float
    dodge: float

    @classmethod
    def of(cls, spec: ArtSpec) -> Traits:
        values = {s.name: s.value for s in spec.stats}

        def scaled(name: str, top: float) -> float:
            return min(1.0, max(0.0, values.get(name, top / 3) / top))

        return cls(
            hp=scaled("hp", 500),
            attack=scaled("attack", 140),
            defense=scaled("defense", 140),
            speed=scaled("speed", 130),
            magic=scaled("magic", 140),
            crit=scaled("crit_rate", 0.3),
            dodge=scaled("dodge", 0.3),
        )


class Part(StrEnum):
    FRONT = "front"
    BACK = "back"
    MARKS = "marks"
    GLOW = "glow"


@dataclass
class Anatomy:
    """Where the painted creature's eyes and heart are, for its glowing eyes, chest rune and the sigil."""

    eyes: list[Point]
    eye_r: float
    heart: Point
    crown: Point
    """The top of the head: where a Legendary's halo floats."""
    glints: list[Point] = field(default_factory=list)
    """Extra points that sparkle on rare Esprits (horn tips, feather tips)."""


class Sketch:
    """Masks, a seeded RNG and the creature's scale; the drawing verbs every body plan uses."""

    def __init__(self, size: Size, spec: ArtSpec, traits: Traits, rng: random.Random) -> None:
        self.w, self.h = size
        self.traits = traits
        self.rng = rng
        self.rank = spec.rarity.rank
        self.words = frozenset(spec.esprit_id.split("_"))
        self.masks = {part: Image.new("L", size, 0) for part in Part}
        self.pens = {part: ImageDraw.Draw(mask) for part, mask in self.masks.items()}
        self.cx = self.w / 2
        """The centre line; exactly half the width, so `symmetric` is a plain mirror."""
        self.ground = self.h * 0.9
        self.u = self.h * (0.16 + 0.05 * traits.hp)

    def jitter(self, low: float = 0.9, high: float = 1.1) -> float:
        """A per-Esprit proportion factor: two Esprits of one form differ in build."""
        return self.rng.uniform(low, high)

    def kind(self, table: dict[str, str], default: tuple[str, ...]) -> str:
        """The species variant named by a word of the esprit_id ('stag', 'heron'), else one chosen by seed."""
        for word, variant in table.items():
            if word in self.words:
                return variant
        return self.rng.choice(default)

    def poly(self, points: list[Point], part: Part = Part.FRONT, fill: int = 255) -> None:
        self.pens[part].polygon(points, fill=fill)

    def oval(self, center: Point, rx: float, ry: float, angle: float = 0.0, part: Part = Part.FRONT) -> None:
        self.pens[part].polygon(oval(center, rx, ry, angle), fill=255)

    def dot(self, center: Point, r: float, part: Part = Part.FRONT, fill: int = 255) -> None:
        x, y = center
        self.pens[part].ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def limb(self, points: list[Point], thick: float, thin: float, part: Part = Part.FRONT) -> list[Point]:
        """A smooth stroke through `points`, narrowing from `thick` to `thin` (radii); returns its path."""
        spacing = max(1.0, min(thick, thin) * 0.5)
        steps = max(8, math.ceil(_length(through(points, 8)) / spacing / max(1, len(points) - 1)))
        path = through(points, steps)
        pen = self.pens[part]
        for i, (x, y) in enumerate(path):
            r = thick + (thin - thick) * i / max(1, len(path) - 1)
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
        return path

    def tuft(self, points: list[Point], width: float, part: Part = Part.FRONT, tip: float = 0.0) -> list[Point]:
        """A bushy shape along `points` (a fox's tail, a plume): widest in the middle, pointed at both ends.

        With `tip` > 0 the last `tip` of it is also drawn into the marks (a fox's white tail tip).
        """
        path = through(points, 24)
        pen, marks = self.pens[part], self.pens[Part.MARKS]
        n = len(path)
        for i, (x, y) in enumerate(path):
            t = i / max(1, n - 1)
            r = width * max(0.12, math.sin(math.pi * min(1.0, t * 1.15)) ** 0.7)
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
            if tip and t > 1 - tip:
                marks.ellipse((x - r, y - r, x + r, y + r), fill=255)
        return path

    def line(self, points: list[Point], width: float, part: Part = Part.MARKS, fill: int = 255) -> None:
        self.pens[part].line(points, fill=fill, width=max(1, round(width)), joint="curve")

    def symmetric(self, part: Part = Part.FRONT) -> None:
        """Make everything drawn so far in `part` symmetric about the centre line (wings drawn on one side)."""
        mask = self.masks[part]
        mask.paste(255, (0, 0), ImageOps.mirror(mask))

    def both(self, points: list[Point], part: Part = Part.FRONT) -> None:
        """A polygon and its mirror image about the centre line (for creatures drawn facing us)."""
        self.poly(points, part)
        self.poly(mirror(points, self.cx), part)


def _length(path: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in itertools.pairwise(path))
