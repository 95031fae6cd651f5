"""Shelled creatures: a tortoise under its domed, scuted shell (from the side) and a crab (from the front)."""

from __future__ import annotations

import math

from faye.render.paint.forms.parts import jointed_leg
from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, oval, polar

KINDS = {"tortoise": "tortoise", "turtle": "tortoise", "crab": "crab", "snail": "tortoise"}


def _tortoise(s: Sketch) -> Anatomy:
    u = s.u * 1.1
    rx, ry = u * 1.45 * s.jitter(), u * (0.95 + 0.25 * s.traits.defense) * s.jitter(0.95, 1.05)
    base = (s.cx - u * 0.2, s.ground - u * 0.4)
    for part, dx in ((Part.BACK, u * 0.3), (Part.FRONT, 0.0)):
        for x in (base[0] - rx * 0.6 + dx, base[0] + rx * 0.55 + dx):
            s.limb([(x, base[1] - u * 0.1), (x + u * 0.05, s.ground - u * 0.08)], u * 0.26, u * 0.24, part)
            s.oval((x + u * 0.05, s.ground - u * 0.07), u * 0.28, u * 0.1, 0.0, part)
    dome = oval((base[0], base[1]), rx, ry)
    s.poly(
        [p for p in dome if p[1] <= base[1]] + [(base[0] - rx, base[1] + u * 0.05), (base[0] + rx, base[1] + u * 0.05)]
    )
    s.oval((base[0], base[1] + u * 0.02), rx * 1.04, u * 0.14)
    neck = s.limb(
        [
            (base[0] + rx * 0.8, base[1] - u * 0.05),
            (base[0] + rx + u * 0.35, base[1] - u * 0.35),
            (base[0] + rx + u * 0.65, base[1] - u * 0.45),
        ],
        u * 0.24,
        u * 0.2,
    )
    head = neck[-1]
    s.oval((head[0] + u * 0.1, head[1]), u * 0.34, u * 0.24, 0.1)
    s.poly(
        [
            (base[0] - rx * 0.95, base[1]),
            (base[0] - rx - u * 0.35, base[1] + u * 0.1),
            (base[0] - rx * 0.85, base[1] + u * 0.12),
        ]
    )
    # scutes: a row of hexagons across the dome, and the rim
    for k in range(-2, 3):
        cx = base[0] + k * rx * 0.38
        cy = base[1] - ry * (0.55 - 0.12 * abs(k))
        hexagon = [polar((cx, cy), u * 0.3, math.pi / 3 * i + math.pi / 6) for i in range(6)] + [
            polar((cx, cy), u * 0.3, math.pi / 6)
        ]
        s.line(hexagon, u * 0.05)
    s.line([(base[0] - rx * 0.95, base[1] - u * 0.12), (base[0] + rx * 0.95, base[1] - u * 0.12)], u * 0.05)
    tips: list[Point] = []
    if "moss" in s.words or s.rng.random() < 0.4:  # a garden growing on the shell
        for k in range(4):
            root = polar(base, ry * 0.97, -math.pi / 2 + (k - 1.5) * 0.35)
            tip = polar(root, u * (0.35 + 0.1 * (k % 2)), -math.pi / 2 + (k - 1.5) * 0.5)
            s.limb([root, tip], u * 0.05, u * 0.02)
            s.oval(tip, u * 0.13, u * 0.07, -0.6 + k * 0.4)
            tips.append(tip)
    eye = (head[0] + u * 0.2, head[1] - u * 0.06)
    return Anatomy([eye], u * 0.06, (base[0], base[1] - ry * 0.45), (base[0], base[1] - ry), tips)


def _crab(s: Sketch) -> Anatomy:
    u = s.u * 1.05
    body = (s.cx, s.ground - u * 0.95)
    rx, ry = u * 1.1 * s.jitter(), u * 0.62 * s.jitter()
    for k in range(3):
        hip = (s.cx + rx * 0.7, body[1] + ry * 0.1 + k * u * 0.12)
        knee = (hip[0] + u * (0.55 + 0.1 * k), hip[1] - u * 0.3 + k * u * 0.12)
        foot = (knee[0] + u * 0.25, s.ground - u * 0.02)
        jointed_leg(s, hip, knee, foot, u * 0.07, Part.BACK)
        jointed_leg(
            s,
            (2 * s.cx - hip[0], hip[1]),
            (2 * s.cx - knee[0], knee[1]),
            (2 * s.cx - foot[0], foot[1]),
            u * 0.07,
            Part.BACK,
        )
    tips = []
    for side in (-1, 1):
        shoulder = (s.cx + side * rx * 0.75, body[1] - ry * 0.2)
        elbow = (s.cx + side * rx * 1.35, body[1] - ry * 0.9)
        s.limb([shoulder, elbow], u * 0.12, u * 0.11)
        claw = (s.cx + side * rx * 1.2, body[1] - ry * 1.8)
        s.oval(claw, u * 0.32 * (1 + 0.4 * s.traits.attack), u * 0.45, side * 0.35)
        pincer = [
            polar(claw, u * 0.3, -math.pi / 2 + side * 0.5),
            polar(claw, u * 0.75, -math.pi / 2 + side * 0.15),
            polar(claw, u * 0.55, -math.pi / 2 - side * 0.3),
        ]
        s.poly(pincer)
        s.poly(
            [claw, polar(claw, u * 0.2, -math.pi / 2), polar(claw, u * 0.55, -math.pi / 2 - side * 0.1)], Part.BACK, 0
        )
        tips.append(pincer[1])
        stalk = (s.cx + side * u * 0.25, body[1] - ry * 0.9)
        s.limb([(stalk[0], body[1] - ry * 0.5), stalk], u * 0.05, u * 0.05)
    s.poly([*oval(body, rx, ry)[:25], (s.cx - rx, body[1] - ry * 0.1), *oval(body, rx, ry * 0.6)[24:]])
    for k in range(5):
        x = s.cx + (k - 2) * rx * 0.35
        s.poly(
            [
                (x - u * 0.12, body[1] - ry * 0.8 + abs(k - 2) * u * 0.12),
                (x, body[1] - ry * 1.25 + abs(k - 2) * u * 0.15),
                (x + u * 0.12, body[1] - ry * 0.8 + abs(k - 2) * u * 0.12),
            ]
        )
    s.line(
        [(s.cx - rx * 0.6, body[1] - ry * 0.2), (s.cx, body[1] + ry * 0.05), (s.cx + rx * 0.6, body[1] - ry * 0.2)],
        u * 0.05,
    )
    eyes = [(s.cx - u * 0.25, body[1] - ry * 0.95), (s.cx + u * 0.25, body[1] - ry * 0.95)]
    return Anatomy(eyes, u * 0.08, body, (s.cx, body[1] - ry * 1.3), tips)


def paint(s: Sketch) -> Anatomy:
    return _crab(s) if s.kind(KINDS, ("tortoise", "crab")) == "crab" else _tortoise(s)
