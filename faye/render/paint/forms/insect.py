"""Insects and their kin: a horned beetle and a mantis from the side, a moth and a spider from the front."""

from __future__ import annotations

import math

from faye.render.paint.forms.parts import antenna, jointed_leg
from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, oval, polar

KINDS = {"beetle": "beetle", "moth": "moth", "butterfly": "moth", "mantis": "mantis", "spider": "spider"}


def _beetle(s: Sketch) -> Anatomy:
    u = s.u * 1.1
    body = (s.cx - u * 0.2, s.ground - u * 0.95)
    rx, ry = u * 1.15 * s.jitter(), u * 0.7 * s.jitter()
    for part, dx in ((Part.BACK, u * 0.25), (Part.FRONT, 0.0)):
        for k in range(3):
            hip = (body[0] - rx * 0.45 + k * rx * 0.5 + dx, body[1] + ry * 0.3)
            knee = (hip[0] + (k - 1) * u * 0.45, hip[1] + u * 0.2 - u * 0.25)
            jointed_leg(s, hip, knee, (knee[0] + (k - 1) * u * 0.25, s.ground - u * 0.02), u * 0.07, part)
    s.poly([*oval(body, rx, ry)[24:], (body[0] - rx, body[1] + ry * 0.3), (body[0] + rx, body[1] + ry * 0.3)])
    s.oval((body[0], body[1] + ry * 0.05), rx, ry * 0.35)
    pronotum = (body[0] + rx * 0.95, body[1] - ry * 0.05)
    s.oval(pronotum, u * 0.42, u * 0.38)
    head = (pronotum[0] + u * 0.42, pronotum[1] + u * 0.12)
    s.oval(head, u * 0.24, u * 0.2)
    tip = polar(polar(head, u * 0.5, -0.5), u * 0.5 * (0.7 + s.traits.attack), -1.4)
    s.limb([head, polar(head, u * 0.5, -0.5), tip], u * 0.13, u * 0.03)
    s.dot(tip, u * 0.09, Part.GLOW)
    antenna(s, (head[0] + u * 0.1, head[1] - u * 0.1), u * 0.5, -0.2, 0.6)
    s.line([(body[0] + rx * 0.6, body[1] - ry), (body[0] - rx * 0.9, body[1] - ry * 0.1)], u * 0.05)
    s.line([(body[0] - rx * 0.9, body[1] + ry * 0.2), (body[0] + rx * 0.7, body[1] + ry * 0.15)], u * 0.04)
    return Anatomy(
        [(head[0] + u * 0.1, head[1] - u * 0.02)], u * 0.08, body, (pronotum[0], pronotum[1] - u * 0.4), [tip]
    )


def _moth(s: Sketch) -> Anatomy:
    u = s.u * 1.05
    body = (s.cx, s.ground - u * 1.55)
    spread = u * (1.45 + 0.35 * s.traits.speed) * s.jitter()
    for angle, scale in ((-0.5, 1.0), (0.55, 0.72)):
        center = polar(body, spread * scale * 0.6, angle)
        wing = oval(center, spread * scale * 0.62, spread * scale * 0.45, angle * 0.6)
        s.both(wing)
        spot = polar(body, spread * scale * 0.72, angle)
        for x in (spot[0], 2 * s.cx - spot[0]):
            s.dot((x, spot[1]), spread * scale * 0.16, Part.MARKS)
            s.dot((x, spot[1]), spread * scale * 0.07, Part.GLOW)
    s.oval(body, u * 0.2, u * 0.7)
    head = (s.cx, body[1] - u * 0.75)
    s.dot(head, u * 0.22)
    tips = []
    for side in (-1, 1):
        tip = antenna(s, (s.cx + side * u * 0.08, head[1] - u * 0.15), u * 0.8, -math.pi / 2 - side * 0.5, -side * 0.6)
        for k in range(5):
            base = polar((s.cx + side * u * 0.08, head[1] - u * 0.15), u * (0.25 + 0.1 * k), -math.pi / 2 - side * 0.6)
            s.limb([base, polar(base, u * 0.15, -math.pi / 2 - side * 1.4)], u * 0.02, u * 0.01)
        tips.append(tip)
    eyes = [(s.cx - u * 0.1, head[1]), (s.cx + u * 0.1, head[1])]
    return Anatomy(eyes, u * 0.06, body, (s.cx, head[1] - u * 0.25), tips)


def _mantis(s: Sketch) -> Anatomy:
    u = s.u * 1.1
    hip = (s.cx - u * 0.1, s.ground - u * 0.95)
    s.oval(polar(hip, u * 0.9, math.pi - 0.25), u * 1.0, u * 0.26, -0.25)
    s.poly([hip, polar(hip, u * 1.9, math.pi - 0.38), polar(hip, u * 1.7, math.pi - 0.15)], Part.BACK)
    for part, dx in ((Part.BACK, u * 0.2), (Part.FRONT, 0.0)):
        for k, reach in ((0, -0.9), (1, 0.6)):
            h = (hip[0] + dx - u * 0.15 * k, hip[1] + u * 0.05)
            knee = (h[0] + reach * u, h[1] - u * 0.55)
            jointed_leg(s, h, knee, (knee[0] + reach * u * 0.35, s.ground), u * 0.045, part)
    neck = s.limb(
        [hip, (hip[0] + u * 0.35, hip[1] - u * 0.8), (hip[0] + u * 0.55, hip[1] - u * 1.65)], u * 0.14, u * 0.09
    )
    top = neck[-1]
    head = [
        (top[0] - u * 0.3, top[1] - u * 0.15),
        (top[0] + u * 0.35, top[1] - u * 0.2),
        (top[0] + u * 0.05, top[1] + u * 0.3),
    ]
    s.poly(head)
    for side in (-1, 1):
        s.dot((top[0] + side * u * 0.28, top[1] - u * 0.17), u * 0.11)
    tips = []
    for part, dx in ((Part.BACK, u * 0.12), (Part.FRONT, 0.0)):
        shoulder = (neck[len(neck) // 2][0] + dx, neck[len(neck) // 2][1] + u * 0.1)
        elbow = (shoulder[0] + u * 0.55, shoulder[1] + u * 0.45)
        claw = (elbow[0] + u * 0.1, elbow[1] - u * 0.75)
        s.limb([shoulder, elbow], u * 0.09, u * 0.07, part)
        s.limb([elbow, claw], u * 0.08, u * 0.02, part)
        for k in range(4):
            at = (elbow[0] + u * 0.025 * k, elbow[1] - u * 0.17 * (k + 1))
            s.poly([at, (at[0] - u * 0.12, at[1] + u * 0.02), (at[0], at[1] + u * 0.08)], part)
        tips.append(claw)
    for side in (-1, 1):
        tips.append(antenna(s, (top[0] + side * u * 0.1, top[1] - u * 0.2), u * 0.8, -1.6 + side * 0.4, 0.5 * side))
    return Anatomy([(top[0] + u * 0.28, top[1] - u * 0.17)], u * 0.07, hip, (top[0], top[1] - u * 0.3), tips)


def _spider(s: Sketch) -> Anatomy:
    u = s.u * 1.05
    body = (s.cx, s.ground - u * 1.35)
    tips: list[Point] = []
    for k in range(4):
        a = -0.75 + k * 0.42
        hip = (s.cx + u * 0.25, body[1] + u * 0.05 * k)
        knee = polar(hip, u * (1.1 + 0.1 * (k % 2)), a - 0.55)
        foot = (knee[0] + u * (0.35 + 0.15 * k), s.ground - u * (0.05 + 0.35 * (k == 0)))
        for pts in (
            (hip, knee, foot),
            ((2 * s.cx - hip[0], hip[1]), (2 * s.cx - knee[0], knee[1]), (2 * s.cx - foot[0], foot[1])),
        ):
            jointed_leg(s, *pts, u * 0.07, Part.FRONT)
        tips.append(knee)
    s.oval((s.cx, body[1] - u * 0.55), u * 0.75, u * 0.65)
    s.oval(body, u * 0.45, u * 0.38)
    for k in range(3):
        s.line(
            [
                (s.cx - u * 0.3, body[1] - u * (0.4 + 0.25 * k)),
                (s.cx, body[1] - u * (0.55 + 0.25 * k)),
                (s.cx + u * 0.3, body[1] - u * (0.4 + 0.25 * k)),
            ],
            u * 0.05,
        )
    eyes = [(s.cx + dx * u, body[1] + dy * u) for dx, dy in ((-0.2, 0.05), (0.2, 0.05), (-0.08, 0.12), (0.08, 0.12))]
    return Anatomy(eyes, u * 0.06, (s.cx, body[1] - u * 0.55), (s.cx, body[1] - u * 1.2), tips)


def paint(s: Sketch) -> Anatomy:
    kind = s.kind(KINDS, ("beetle", "moth", "mantis", "spider"))
    return {"beetle": _beetle, "moth": _moth, "mantis": _mantis, "spider": _spider}[kind](s)
