"""Spirits, seen from the front and floating: a thistledown sprite, and robed figures whose wings, crowns and
veils tell them apart (a sylph's petals, a seraph's crystal wings, a dryad's branches, a sovereign's rays, an
empress's veil). Rarer spirits wear more: taller crowns, more wings."""

from __future__ import annotations

import math

from faye.render.paint.forms.parts import feather_wing
from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, oval, polar

KINDS = {
    "sprite": "sprite",
    "wisp": "sprite",
    "sylph": "sylph",
    "seraph": "seraph",
    "dryad": "dryad",
    "sovereign": "sovereign",
    "empress": "empress",
    "queen": "empress",
}


def _sprite(s: Sketch) -> Anatomy:
    """A dandelion seed that learned to think: a round face in a sphere of filaments, on a drifting stalk."""
    u = s.u * 1.1
    center = (s.cx, s.ground - u * 2.0)
    s.limb(
        [(center[0], center[1] + u * 0.3), (s.cx - u * 0.3, s.ground - u * 0.9), (s.cx + u * 0.1, s.ground - u * 0.3)],
        u * 0.07,
        u * 0.03,
    )
    tips = []
    rays = 26 + 4 * s.rank
    for k in range(rays):
        a = 2 * math.pi * k / rays + s.rng.uniform(-0.05, 0.05)
        tip = polar(center, u * s.rng.uniform(1.0, 1.2), a)
        s.line([polar(center, u * 0.3, a), tip], u * 0.035, Part.FRONT)
        s.dot(tip, u * 0.07, Part.FRONT)
        s.dot(tip, u * 0.03, Part.GLOW)
        tips.append(tip)
    s.dot(center, u * 0.45)
    eyes = [(s.cx - u * 0.15, center[1]), (s.cx + u * 0.15, center[1])]
    return Anatomy(eyes, u * 0.07, center, (s.cx, center[1] - u * 1.2), tips[::5])


def _figure(s: Sketch, kind: str) -> Anatomy:
    u = s.u
    head = (s.cx, s.ground - u * 3.1)
    hr = u * 0.3
    waist = (s.cx, head[1] + u * 1.25)
    hem = s.ground - u * 0.25
    flare = u * (1.0 if kind in ("empress", "dryad") else 0.75) * s.jitter()
    tips: list[Point] = []
    # wings behind the figure
    if kind == "seraph":
        for k in range(2 + (s.rank >= 4)):
            for side in (-1, 1):
                root = (s.cx + side * u * 0.2, waist[1] - u * 0.7)
                a = -math.pi / 2 + side * (0.5 + 0.45 * k)
                tip = polar(root, u * (2.0 - 0.3 * k), a)
                s.poly(
                    [root, polar(root, u * 0.9, a - side * 0.25), tip, polar(root, u * 1.0, a + side * 0.3)], Part.BACK
                )
                s.poly([root, polar(root, u * 0.8, a - side * 0.1), tip], Part.GLOW)
                tips.append(tip)
    elif kind == "sovereign":
        tips.append(feather_wing(s, (s.cx + u * 0.2, waist[1] - u * 0.8), u * 1.6, -0.55, Part.BACK, 7, mirrored=True))
        for k in range(12):
            a = -math.pi + math.pi * k / 11
            s.line([polar(head, u * 0.5, a), polar(head, u * 0.95, a)], u * 0.05, Part.GLOW)
    elif kind == "sylph":
        for side in (-1, 1):
            for a, length in ((-0.9, 1.5), (-0.25, 1.1)):
                root = (s.cx, waist[1] - u * 0.6)
                angle = -math.pi / 2 + side * (math.pi / 2 + a)
                s.poly(oval(polar(root, u * length * 0.55, angle), u * length * 0.55, u * 0.3, angle), Part.BACK)
                tips.append(polar(root, u * length, angle))
    # the gown
    gown = [(s.cx - u * 0.22, waist[1] - u * 0.6), (s.cx + u * 0.22, waist[1] - u * 0.6), (s.cx + u * 0.2, waist[1])]
    waves = 7
    for k in range(waves + 1):
        x = s.cx + flare - 2 * flare * k / waves
        gown.append((x, hem + (u * 0.12 if k % 2 else -u * 0.05)))
    gown.append((s.cx - u * 0.2, waist[1]))
    s.poly(gown)
    if kind == "empress":  # a veil from the crown to the ground
        s.poly(
            [
                (s.cx - hr * 0.8, head[1] - hr * 0.6),
                (s.cx + hr * 0.8, head[1] - hr * 0.6),
                (s.cx + flare * 1.3, hem + u * 0.1),
                (s.cx - flare * 1.3, hem + u * 0.1),
            ],
            Part.BACK,
        )
    if kind == "dryad":
        for k in range(6):
            x = s.cx - flare + 2 * flare * k / 5
            s.limb([(x, hem), (x + (k - 2.5) * u * 0.15, s.ground - u * 0.02)], u * 0.06, u * 0.02)
            s.oval(
                (s.cx + (k - 2.5) * u * 0.25, waist[1] + u * 0.4 + (k % 2) * u * 0.5),
                u * 0.16,
                u * 0.08,
                0.6 - k * 0.3,
                Part.MARKS,
            )
    s.limb([(s.cx, waist[1] - u * 0.6), (s.cx, head[1] + hr)], u * 0.09, u * 0.08)
    for side in (-1, 1):
        shoulder = (s.cx + side * u * 0.25, waist[1] - u * 0.55)
        hand = (s.cx + side * u * 0.95, waist[1] - u * (0.8 + 0.5 * s.traits.magic))
        s.limb([shoulder, (s.cx + side * u * 0.65, waist[1] - u * 0.2), hand], u * 0.08, u * 0.05)
        s.dot(hand, u * 0.08, Part.GLOW)
    s.oval(head, hr, hr * 1.15)
    # crowns
    if kind == "dryad":
        for side in (-1, 1):
            for k in range(3):
                base = (s.cx + side * hr * 0.5, head[1] - hr * 0.7)
                tip = polar(base, u * (0.7 - 0.12 * k), -math.pi / 2 + side * (0.3 + 0.35 * k))
                s.limb([base, tip], u * 0.06, u * 0.02)
                tips.append(tip)
    elif kind in ("sovereign", "empress") or s.rank >= 3:
        points = 3 + 2 * (s.rank >= 4)
        crown = [(s.cx - hr * 0.8, head[1] - hr * 0.7)]
        for k in range(points):
            x = s.cx - hr * 0.8 + hr * 1.6 * (k + 0.5) / points
            crown += [
                (x, head[1] - hr * (1.6 + 0.3 * (k == points // 2))),
                (s.cx - hr * 0.8 + hr * 1.6 * (k + 1) / points, head[1] - hr * 0.8),
            ]
        s.poly(crown)
        s.poly(crown, Part.GLOW)
    if kind != "dryad":
        s.tuft(
            [(s.cx, head[1] - hr * 0.5), (s.cx + hr * 1.3, head[1] + hr * 1.2), (s.cx + hr * 1.1, waist[1] - u * 0.3)],
            hr * 0.5,
        )
    eyes = [(s.cx - hr * 0.38, head[1]), (s.cx + hr * 0.38, head[1])]
    return Anatomy(eyes, hr * 0.16, (s.cx, waist[1] - u * 0.3), (s.cx, head[1] - hr * 1.3), tips)


def paint(s: Sketch) -> Anatomy:
    kind = s.kind(KINDS, ("sprite", "sylph", "seraph", "dryad", "sovereign", "empress"))
    return _sprite(s) if kind == "sprite" else _figure(s, kind)
