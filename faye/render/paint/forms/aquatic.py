"""Creatures of the water's edge: an otter standing up from the stream, a squat toad, a siren on her tail."""

from __future__ import annotations

import math

from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, lerp, polar

KINDS = {"otter": "otter", "seal": "otter", "toad": "toad", "frog": "toad", "siren": "siren", "mermaid": "siren"}


def _otter(s: Sketch) -> Anatomy:
    """Standing up on its hind legs, paws at its chest, a thick tail curling along the ground."""
    u = s.u * 1.05
    base = (s.cx - u * 0.1, s.ground - u * 0.2)
    lean = u * 0.25 * s.jitter()
    spine = s.limb(
        [base, (base[0] + lean * 0.4, base[1] - u * 1.1), (base[0] + lean, base[1] - u * 2.1)],
        u * 0.55 * s.jitter(0.95, 1.05),
        u * 0.3,
    )
    s.limb(
        [
            (base[0] - u * 0.2, base[1]),
            (base[0] - u * 1.1, s.ground - u * 0.1),
            (base[0] - u * 1.9, s.ground - u * 0.35),
        ],
        u * 0.3,
        u * 0.08,
    )
    for part, dx in ((Part.BACK, -u * 0.2), (Part.FRONT, u * 0.15)):
        s.oval((base[0] + dx + u * 0.25, s.ground - u * 0.06), u * 0.3, u * 0.1, 0.0, part)
    head = (spine[-1][0] + u * 0.1, spine[-1][1] - u * 0.2)
    hr = u * 0.38
    s.oval(head, hr * 1.05, hr * 0.9)
    s.oval((head[0] + hr * 0.7, head[1] + hr * 0.25), hr * 0.5, hr * 0.38)
    for dx in (-0.55, 0.1):
        s.dot((head[0] + hr * dx, head[1] - hr * 0.8), hr * 0.22)
    chest = lerp(spine[0], spine[-1], 0.62)
    s.limb(
        [
            (chest[0] + u * 0.1, chest[1] - u * 0.1),
            (chest[0] + u * 0.45, chest[1] + u * 0.15),
            (chest[0] + u * 0.5, chest[1] - u * 0.12),
        ],
        u * 0.11,
        u * 0.1,
    )
    s.dot((chest[0] + u * 0.55, chest[1] - u * 0.15), u * 0.16, Part.FRONT)
    s.dot((chest[0] + u * 0.55, chest[1] - u * 0.15), u * 0.1, Part.MARKS)
    s.oval(lerp(spine[0], spine[-1], 0.55), u * 0.28, u * 0.55, 0.1, Part.MARKS)
    for k in (-1, 0, 1):
        whisker = [(head[0] + hr * 1.0, head[1] + hr * 0.3), (head[0] + hr * 1.8, head[1] + hr * (0.2 + 0.2 * k))]
        s.line(whisker, u * 0.025, Part.FRONT)
    return Anatomy(
        [(head[0] + hr * 0.35, head[1] - hr * 0.15)],
        hr * 0.16,
        lerp(spine[0], spine[-1], 0.5),
        (head[0], head[1] - hr),
        [],
    )


def _toad(s: Sketch) -> Anatomy:
    u = s.u * 1.15
    body = (s.cx - u * 0.15, s.ground - u * 0.7)
    rx, ry = u * 1.05 * s.jitter(), u * 0.62 * s.jitter()
    for part, dx in ((Part.BACK, u * 0.25), (Part.FRONT, 0.0)):
        s.oval((body[0] - rx * 0.55 + dx, body[1] + ry * 0.25), u * 0.5, u * 0.38, -0.3, part)
        s.poly(
            [
                (body[0] - rx * 0.5 + dx, s.ground - u * 0.1),
                (body[0] - rx * 1.2 + dx, s.ground),
                (body[0] - rx * 0.3 + dx, s.ground - u * 0.02),
            ],
            part,
        )
        s.limb(
            [(body[0] + rx * 0.55 + dx, body[1] + ry * 0.1), (body[0] + rx * 0.7 + dx, s.ground - u * 0.05)],
            u * 0.12,
            u * 0.09,
            part,
        )
        s.oval((body[0] + rx * 0.78 + dx, s.ground - u * 0.04), u * 0.18, u * 0.06, 0.0, part)
    s.oval(body, rx, ry, -0.12)
    head = (body[0] + rx * 0.75, body[1] - ry * 0.3)
    s.oval(head, u * 0.55, u * 0.4, 0.1)
    s.dot((head[0] + u * 0.05, head[1] - u * 0.35), u * 0.18)
    s.line([(head[0] - u * 0.2, head[1] + u * 0.12), (head[0] + u * 0.5, head[1] + u * 0.05)], u * 0.04)
    for k in range(5 + s.rank):
        a = -math.pi / 2 + (k - (4 + s.rank) / 2) * 0.32
        spot = polar(body, ry * 0.72, a)
        s.dot(spot, u * (0.11 - 0.01 * (k % 2)), Part.MARKS)
        s.dot(spot, u * 0.06, Part.GLOW)
    return Anatomy([(head[0] + u * 0.1, head[1] - u * 0.38)], u * 0.08, body, (head[0], head[1] - u * 0.5), [])


def _siren(s: Sketch) -> Anatomy:
    """A figure rising from a fish's tail that curls along the ground to a forked fluke; hair streaming."""
    u = s.u
    waist = (s.cx + u * 0.25, s.ground - u * 1.5)
    tail = s.limb(
        [
            waist,
            (s.cx + u * 0.4, s.ground - u * 0.55),
            (s.cx - u * 0.6, s.ground - u * 0.2),
            (s.cx - u * 1.5, s.ground - u * 0.5),
        ],
        u * 0.38,
        u * 0.09,
    )
    end = tail[-1]
    for a in (-2.2, 2.6):
        s.poly([end, polar(end, u * 0.75, a - 0.3), polar(end, u * 0.55, a + 0.3)])
    for k in range(4, len(tail) - 4, 5):
        x, y = tail[k]
        s.line([(x - u * 0.15, y - u * 0.15), (x, y), (x + u * 0.15, y - u * 0.15)], u * 0.04)
    chest = (waist[0] - u * 0.05, waist[1] - u * 0.7)
    s.limb([waist, chest], u * 0.3, u * 0.33)
    head = (chest[0] + u * 0.05, chest[1] - u * 0.6)
    s.limb([chest, head], u * 0.12, u * 0.12)
    s.oval(head, u * 0.3, u * 0.34)
    s.tuft(
        [
            (head[0] - u * 0.05, head[1] - u * 0.3),
            (head[0] - u * 0.7, head[1] + u * 0.1),
            (head[0] - u * 1.0, head[1] + u * 0.9),
        ],
        u * 0.3,
    )
    for side in (-1, 1):
        hand = (chest[0] + side * u * 0.75, chest[1] - u * (0.45 if side > 0 else -0.3))
        s.limb(
            [(chest[0] + side * u * 0.25, chest[1]), lerp((chest[0] + side * u * 0.25, chest[1]), hand, 0.5), hand],
            u * 0.09,
            u * 0.06,
        )
    tips: list[Point] = []
    for k in range(3 + (s.rank >= 4) * 2):
        a = -math.pi / 2 + (k - (2 + (s.rank >= 4) * 2) / 2) * 0.4
        tip = polar(head, u * 0.65, a)
        s.limb([polar(head, u * 0.25, a), tip], u * 0.06, u * 0.02)
        tips.append(tip)
    return Anatomy([(head[0] + u * 0.12, head[1] - u * 0.02)], u * 0.05, chest, (head[0], head[1] - u * 0.4), tips)


def paint(s: Sketch) -> Anatomy:
    kind = s.kind(KINDS, ("otter", "toad", "siren"))
    return {"otter": _otter, "toad": _toad, "siren": _siren}[kind](s)
