"""Giants, seen from the front: a stone golem with a crystal heart, a treant of trunk and branches, and a
colossus of plated rock as broad as a mountain."""

from __future__ import annotations

import math

from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, polar

KINDS = {"golem": "golem", "treant": "treant", "ent": "treant", "colossus": "colossus", "titan": "colossus"}


def _golem(s: Sketch, broad: float) -> Anatomy:
    u = s.u * 1.05
    w = u * (0.85 + 0.15 * broad) * s.jitter(0.95, 1.05)
    top = s.ground - u * 2.85
    chest = top + u * 0.5
    hip = s.ground - u * 1.05
    tips: list[Point] = []
    for side in (-1, 1):
        s.limb([(s.cx + side * w * 0.45, hip), (s.cx + side * w * 0.55, s.ground - u * 0.15)], u * 0.32, u * 0.36)
        s.poly(
            [
                (s.cx + side * w * 0.2, s.ground),
                (s.cx + side * w * 0.95, s.ground),
                (s.cx + side * w * 0.85, s.ground - u * 0.35),
                (s.cx + side * w * 0.25, s.ground - u * 0.35),
            ]
        )
        shoulder = (s.cx + side * w * 1.0, chest)
        fist = (s.cx + side * w * 1.35, s.ground - u * 0.55)
        s.limb([shoulder, (s.cx + side * w * 1.4, chest + u * 0.7), fist], u * 0.34, u * 0.3)
        s.oval(fist, u * 0.42, u * 0.38, 0.0)
        s.oval(shoulder, u * 0.5, u * 0.42, side * 0.3)
        for k in range(2 + (broad > 0.5)):
            base = (shoulder[0] + side * u * 0.1 * k, shoulder[1] - u * 0.3)
            tip = polar(base, u * (0.55 + 0.25 * k) * (0.7 + s.traits.attack), -math.pi / 2 + side * (0.3 + 0.35 * k))
            s.poly([(base[0] - u * 0.14, base[1] + u * 0.1), tip, (base[0] + u * 0.14, base[1] + u * 0.1)])
            s.poly(
                [(base[0] - u * 0.07, base[1]), tip, (base[0] + u * 0.07, base[1])],
                Part.GLOW if broad < 0.5 else Part.MARKS,
            )
            tips.append(tip)
    s.poly(
        [
            (s.cx - w, chest - u * 0.25),
            (s.cx + w, chest - u * 0.25),
            (s.cx + w * 0.7, hip + u * 0.2),
            (s.cx - w * 0.7, hip + u * 0.2),
        ]
    )
    head = (s.cx, top + u * 0.1)
    s.poly(
        [
            (s.cx - u * 0.38, head[1] - u * 0.35),
            (s.cx + u * 0.38, head[1] - u * 0.35),
            (s.cx + u * 0.32, head[1] + u * 0.35),
            (s.cx - u * 0.32, head[1] + u * 0.35),
        ]
    )
    heart = (s.cx, chest + u * 0.4)
    s.poly([polar(heart, u * 0.28, a) for a in (-math.pi / 2, 0.0, math.pi / 2, math.pi)], Part.GLOW)
    for k in range(3):
        y = chest + u * (0.1 + 0.45 * k)
        s.line(
            [
                (s.cx - w * 0.8, y),
                (s.cx - w * 0.3, y + u * 0.1),
                (s.cx + w * 0.2, y - u * 0.05),
                (s.cx + w * 0.8, y + u * 0.05),
            ],
            u * 0.05,
        )
    if broad > 0.5:  # volcanic glass cracked with fire
        for k in range(4):
            x = s.cx + (k - 1.5) * w * 0.45
            s.line([(x, chest), (x + u * 0.15, chest + u * 0.6), (x - u * 0.1, hip)], u * 0.05, Part.GLOW)
    eyes = [(s.cx - u * 0.15, head[1]), (s.cx + u * 0.15, head[1])]
    return Anatomy(eyes, u * 0.08, heart, (s.cx, head[1] - u * 0.5), tips)


def _treant(s: Sketch) -> Anatomy:
    u = s.u * 1.05
    top = s.ground - u * 2.6
    trunk = u * 0.55 * s.jitter()
    s.poly(
        [
            (s.cx - trunk, top),
            (s.cx + trunk, top),
            (s.cx + trunk * 1.3, s.ground - u * 0.3),
            (s.cx - trunk * 1.3, s.ground - u * 0.3),
        ]
    )
    tips: list[Point] = []
    for k in range(5):
        root = (s.cx + (k - 2) * trunk * 0.5, s.ground - u * 0.4)
        s.limb(
            [root, (root[0] + (k - 2) * u * 0.35, s.ground - u * 0.05), (root[0] + (k - 2) * u * 0.7, s.ground)],
            u * 0.16,
            u * 0.04,
        )
    for side in (-1, 1):
        elbow = (s.cx + side * u * 1.25, top + u * 0.6)
        hand = (s.cx + side * u * 1.55, top - u * 0.35)
        s.limb([(s.cx + side * trunk * 0.8, top + u * 1.0), elbow, hand], u * 0.18, u * 0.06)
        for k in range(3):
            twig = polar(hand, u * 0.4, -math.pi / 2 + side * (0.8 * k - 0.5))
            s.limb([hand, twig], u * 0.05, u * 0.02)
            tips.append(twig)
    canopy = (s.cx, top - u * 0.35)
    for k in range(7):
        a = -math.pi + math.pi * k / 6
        s.oval(polar(canopy, u * 0.7, a), u * 0.45, u * 0.35, a)
    s.oval(canopy, u * 0.9, u * 0.5)
    for k in range(4):
        y = top + u * (0.6 + 0.4 * k)
        s.line(
            [(s.cx - trunk * 0.7, y), (s.cx - trunk * 0.2, y + u * 0.25), (s.cx + trunk * 0.1, y + u * 0.6)], u * 0.05
        )
    face = (s.cx, top + u * 0.35)
    eyes = [(s.cx - u * 0.2, face[1]), (s.cx + u * 0.2, face[1])]
    return Anatomy(eyes, u * 0.07, (s.cx, top + u * 1.2), (s.cx, canopy[1] - u * 0.8), tips)


def paint(s: Sketch) -> Anatomy:
    kind = s.kind(KINDS, ("golem", "treant", "colossus"))
    if kind == "treant":
        return _treant(s)
    return _golem(s, 1.0 if kind == "colossus" else 0.0)
