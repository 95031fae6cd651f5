"""Parts several body plans share: feathered and membrane wings, beaks, antennae, horns, jointed legs."""

from __future__ import annotations

import math

from faye.render.paint.sketch import Part, Sketch
from faye.render.paint.tools import Point, lerp, mirror, oval, polar, through


def feather_wing(
    s: Sketch, root: Point, span: float, angle: float, part: Part, feathers: int = 6, *, mirrored: bool = False
) -> Point:
    """A spread wing from `root` along `angle`: a leading edge bending at the wrist and a trailing edge of
    rounded feathers hanging from it, longest at the tip. `mirrored` also draws it reflected about the centre
    line (a bird seen from the front). Returns the wing tip."""
    wrist = polar(root, span * 0.45, angle)
    down = angle + math.pi / 2 if math.sin(angle + math.pi / 2) > 0 else angle - math.pi / 2
    tip = polar(wrist, span * 0.58, angle - (down - angle) * 0.25)
    shapes: list[list[Point]] = []
    ends: list[Point] = []
    for i in range(feathers):
        t = i / max(1, feathers - 1)
        base = lerp(tip, wrist, t * 1.6) if t < 0.62 else lerp(wrist, root, (t - 0.62) / 0.38)
        length = span * (0.46 - 0.24 * t)
        end = polar(base, length, down + (0.55 - 0.5 * t) * (1 if down > angle else -1) * -1)
        ends.append(end)
        shapes.append(oval(lerp(base, end, 0.55), length * 0.55, span * 0.055, _heading(base, end)))
    shapes.append([root, wrist, tip, *ends, polar(root, span * 0.22, down)])
    for shape in shapes:
        s.poly(shape, part)
        if mirrored:
            s.poly(mirror(shape, s.cx), part)
    return tip


def _heading(a: Point, b: Point) -> float:
    return math.atan2(b[1] - a[1], b[0] - a[0])


def membrane_wing(s: Sketch, root: Point, span: float, angle: float, part: Part, fingers: int = 4) -> Point:
    """A bat's or drake's wing: finger bones from the wrist, a membrane scalloped between them."""
    wrist = polar(root, span * 0.45, angle)
    s.limb([root, wrist], span * 0.06, span * 0.04, part)
    tips = [polar(wrist, span * (0.75 - 0.1 * k), angle + 0.35 + 0.5 * k) for k in range(fingers)]
    edge: list[Point] = [root, wrist, tips[0]]
    for a, b in zip(tips, [*tips[1:], polar(root, span * 0.25, angle + 1.9)], strict=True):
        mid = lerp(a, b, 0.5)
        edge += through([a, lerp(mid, wrist, 0.3), b], 6)[1:]
    s.poly(edge, part)
    for tip in tips:
        s.limb([wrist, tip], span * 0.025, span * 0.012, part)
    return tips[0]


def antenna(s: Sketch, base: Point, length: float, angle: float, curl: float, part: Part = Part.FRONT) -> Point:
    """A thin feeler bending by `curl` radians along its length; returns its tip."""
    mid = polar(base, length * 0.5, angle)
    tip = polar(mid, length * 0.5, angle + curl)
    s.limb([base, mid, tip], max(2.0, s.u * 0.03), max(1.5, s.u * 0.018), part)
    return tip


def jointed_leg(s: Sketch, hip: Point, knee: Point, foot: Point, thick: float, part: Part) -> None:
    """An insect's or spider's leg: two thin straight segments and a knee."""
    s.limb([hip, knee], thick, thick * 0.8, part)
    s.limb([knee, foot], thick * 0.8, thick * 0.4, part)


def horn(s: Sketch, base: Point, length: float, angle: float, bend: float, thick: float, part: Part) -> Point:
    """A tapering horn from `base` along `angle`, curving by `bend`; returns its tip."""
    mid = polar(base, length * 0.5, angle)
    tip = polar(mid, length * 0.5, angle + bend)
    s.limb([base, mid, tip], thick, max(1.5, thick * 0.12), part)
    return tip


def spiral(s: Sketch, center: Point, radius: float, thick: float, part: Part, turns: float = 1.3) -> Point:
    """A ram's curled horn: a thick spiral winding inward."""
    points = []
    for i in range(13):
        t = i / 12
        a = -math.pi * 0.6 + t * turns * 2 * math.pi
        points.append(polar(center, radius * (1 - 0.6 * t), a))
    s.limb(points, thick, thick * 0.35, part)
    return points[-1]


def antler(s: Sketch, base: Point, size: float, tines: int, part: Part, lean: float = 0.0) -> list[Point]:
    """A branching antler rising from `base`: a beam sweeping up and back, tines reaching up and forward."""
    beam = through(
        [
            base,
            (base[0] - size * (0.45 - lean), base[1] - size * 0.45),
            (base[0] - size * (0.6 - lean), base[1] - size * 1.0),
            (base[0] - size * (0.35 - lean), base[1] - size * 1.45),
        ],
        8,
    )
    s.limb([*beam[::3], beam[-1]], size * 0.075, size * 0.035, part)
    tips = [beam[-1]]
    for k in range(tines):
        at = beam[round((0.12 + 0.75 * k / max(1, tines)) * (len(beam) - 1))]
        reach = size * (0.5 - 0.05 * k)
        tip = (at[0] + reach * 0.85, at[1] - reach * 0.6)
        s.limb([at, (at[0] + reach * 0.5, at[1] - reach * 0.15), tip], size * 0.05, size * 0.02, part)
        tips.append(tip)
    return tips
