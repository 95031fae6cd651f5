"""Small beasts, drawn large: a digging mole, a long-eared hare, a squirrel under its tail, a bat spread wide."""

from __future__ import annotations

from faye.render.paint.forms.parts import membrane_wing
from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, polar

KINDS = {"mole": "mole", "hare": "hare", "rabbit": "hare", "squirrel": "squirrel", "bat": "bat", "mouse": "hare"}


def _mole(s: Sketch) -> Anatomy:
    u = s.u * 1.2
    body = (s.cx - u * 0.15, s.ground - u * 0.65)
    rx, ry = u * 1.0 * s.jitter(), u * 0.62 * s.jitter()
    s.oval((s.cx - u * 0.2, s.ground + u * 0.05), u * 1.9, u * 0.35, 0.0, Part.BACK)
    s.oval(body, rx, ry, -0.08)
    snout = (body[0] + rx + u * 0.55, body[1] + u * 0.1)
    s.limb([(body[0] + rx * 0.7, body[1] - u * 0.05), snout], u * 0.35, u * 0.07)
    s.dot(snout, u * 0.11, Part.GLOW)
    for part, dx in ((Part.BACK, u * 0.2), (Part.FRONT, 0.0)):
        paw = (body[0] + rx * 0.65 + dx, s.ground - u * 0.12)
        s.limb([(body[0] + rx * 0.45 + dx, body[1] + ry * 0.3), paw], u * 0.16, u * 0.14, part)
        for k in range(4):
            s.limb([paw, polar(paw, u * 0.35, -0.2 + 0.25 * k)], u * 0.06, u * 0.02, part)
    s.limb([(body[0] - rx * 0.95, body[1]), (body[0] - rx * 1.3, body[1] - u * 0.1)], u * 0.06, u * 0.03)
    eye = (body[0] + rx * 0.8, body[1] - u * 0.15)
    return Anatomy([eye], u * 0.04, body, (body[0] + rx * 0.5, body[1] - ry), [snout])


def _hare(s: Sketch) -> Anatomy:
    u = s.u * 1.05
    body = (s.cx - u * 0.2, s.ground - u * 0.75)
    s.oval(body, u * 0.85 * s.jitter(), u * 0.62, -0.35)
    for part, dx in ((Part.BACK, u * 0.25), (Part.FRONT, 0.0)):
        s.oval((body[0] - u * 0.3 + dx, body[1] + u * 0.25), u * 0.45, u * 0.4, 0.0, part)
        s.oval((body[0] - u * 0.05 + dx, s.ground - u * 0.07), u * 0.55, u * 0.1, 0.0, part)
        s.limb(
            [(body[0] + u * 0.6 + dx, body[1]), (body[0] + u * 0.75 + dx, s.ground - u * 0.05)], u * 0.1, u * 0.08, part
        )
    head = (body[0] + u * 0.8, body[1] - u * 0.75)
    s.oval(head, u * 0.42, u * 0.34, 0.25)
    ear_len = u * (1.1 + 0.2 * s.traits.speed) * s.jitter()
    tips: list[Point] = []
    for part, dx, a in ((Part.BACK, u * 0.15, -2.0), (Part.FRONT, 0.0, -2.3)):
        root = (head[0] - u * 0.15 + dx, head[1] - u * 0.2)
        tip = polar(root, ear_len, a)
        s.limb([root, polar(root, ear_len * 0.5, a + 0.05), tip], u * 0.14, u * 0.09, part)
        tips.append(tip)
    s.line([(head[0] - u * 0.1, head[1] - u * 0.3), tips[-1]], u * 0.05)
    s.dot((body[0] - u * 0.85, body[1] + u * 0.05), u * 0.2)
    s.dot((body[0] - u * 0.85, body[1] + u * 0.05), u * 0.14, Part.MARKS)
    return Anatomy([(head[0] + u * 0.15, head[1] - u * 0.06)], u * 0.07, body, (head[0], head[1] - u * 0.4), tips)


def _squirrel(s: Sketch) -> Anatomy:
    u = s.u * 1.05
    body = (s.cx + u * 0.2, s.ground - u * 0.85)
    tail = [
        (body[0] - u * 0.5, s.ground - u * 0.2),
        (body[0] - u * 1.4, body[1] - u * 0.2),
        (body[0] - u * 1.05, body[1] - u * 1.45),
        (body[0] - u * 0.3, body[1] - u * 1.9),
        (body[0] + u * 0.05, body[1] - u * 1.5),
    ]
    s.tuft(tail, u * 0.52 * s.jitter(), Part.FRONT)
    s.oval(body, u * 0.55, u * 0.72, 0.25)
    s.oval((body[0] - u * 0.15, s.ground - u * 0.3), u * 0.45, u * 0.3)
    s.oval((body[0] + u * 0.05, s.ground - u * 0.06), u * 0.4, u * 0.09)
    head = (body[0] + u * 0.35, body[1] - u * 0.85)
    s.oval(head, u * 0.38, u * 0.32, 0.2)
    s.poly(
        [
            (head[0] - u * 0.2, head[1] - u * 0.2),
            (head[0] - u * 0.12, head[1] - u * 0.7),
            (head[0] + u * 0.08, head[1] - u * 0.25),
        ]
    )
    paw = (body[0] + u * 0.55, body[1] - u * 0.25)
    s.limb([(body[0] + u * 0.2, body[1] - u * 0.3), paw], u * 0.1, u * 0.08)
    s.oval((paw[0] + u * 0.1, paw[1] - u * 0.1), u * 0.17, u * 0.2)
    s.oval((paw[0] + u * 0.1, paw[1] - u * 0.25), u * 0.19, u * 0.08, 0.0, Part.MARKS)
    for k in range(3):
        s.line([tail[1 + k], (tail[1 + k][0] + u * 0.3, tail[1 + k][1] + u * 0.15)], u * 0.04)
    return Anatomy([(head[0] + u * 0.15, head[1] - u * 0.06)], u * 0.07, body, (head[0], head[1] - u * 0.6), [tail[3]])


def _bat(s: Sketch) -> Anatomy:
    u = s.u * 1.05
    body = (s.cx, s.ground - u * 1.5)
    span = u * (2.2 + 0.3 * s.traits.speed) * s.jitter(0.95, 1.05)
    tip = membrane_wing(s, (s.cx + u * 0.2, body[1] - u * 0.15), span, -0.5, Part.FRONT, 4)
    s.symmetric(Part.FRONT)
    s.oval(body, u * 0.38, u * 0.6)
    head = (s.cx, body[1] - u * 0.7)
    s.dot(head, u * 0.32)
    s.both(
        [
            (s.cx + u * 0.1, head[1] - u * 0.2),
            (s.cx + u * 0.45, head[1] - u * 0.85),
            (s.cx + u * 0.35, head[1] - u * 0.05),
        ]
    )
    for side in (-1, 1):
        s.limb(
            [(s.cx + side * u * 0.15, body[1] + u * 0.5), (s.cx + side * u * 0.22, body[1] + u * 0.95)],
            u * 0.06,
            u * 0.04,
        )
    for k in range(3):
        s.line(
            [(s.cx - u * 0.2, body[1] - u * 0.2 + k * u * 0.25), (s.cx + u * 0.2, body[1] - u * 0.2 + k * u * 0.25)],
            u * 0.04,
        )
    eyes = [(s.cx - u * 0.12, head[1]), (s.cx + u * 0.12, head[1])]
    return Anatomy(eyes, u * 0.06, body, (s.cx, head[1] - u * 0.5), [tip, (2 * s.cx - tip[0], tip[1])])


def paint(s: Sketch) -> Anatomy:
    kind = s.kind(KINDS, ("mole", "hare", "squirrel", "bat"))
    return {"mole": _mole, "hare": _hare, "squirrel": _squirrel, "bat": _bat}[kind](s)
