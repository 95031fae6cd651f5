"""Long bodies: a sea serpent rising from its coils, an eel's ribbon, a drake (wyvern) and a winged wyrm."""

from __future__ import annotations

import math

from faye.render.paint.forms.parts import horn, membrane_wing
from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, polar

KINDS = {
    "serpent": "serpent",
    "naga": "serpent",
    "eel": "eel",
    "drake": "drake",
    "wyvern": "drake",
    "wyrm": "wyrm",
    "dragon": "wyrm",
}


def _head(s: Sketch, neck_end: Point, hr: float, horns: int) -> tuple[Point, list[Point]]:
    """A wedge-shaped reptile head facing right, jaw and brow, with `horns` swept back."""
    x, y = neck_end
    s.oval((x, y), hr * 1.05, hr * 0.75, -0.15)
    s.poly([(x, y - hr * 0.7), (x + hr * 1.9, y - hr * 0.05), (x + hr * 1.75, y + hr * 0.3), (x, y + hr * 0.65)])
    s.line([(x + hr * 0.5, y + hr * 0.25), (x + hr * 1.6, y + hr * 0.15)], hr * 0.08)
    tips = [
        horn(
            s,
            (x - hr * 0.2 + k * hr * 0.25, y - hr * 0.55),
            hr * (1.5 - 0.3 * k),
            -2.6 + 0.2 * k,
            0.35,
            hr * 0.18,
            Part.FRONT,
        )
        for k in range(horns)
    ]
    return (x + hr * 0.7, y - hr * 0.3), tips


def _spikes(s: Sketch, path: list[Point], size: float, every: int, part: Part = Part.FRONT) -> None:
    """Fins or spikes along the upper side of a body path."""
    for i in range(every, len(path) - every, every):
        (x0, y0), (x1, y1) = path[i - 1], path[i + 1]
        a = math.atan2(y1 - y0, x1 - x0) - math.pi / 2
        base = path[i]
        s.poly(
            [
                polar(base, size * 0.5, a + math.pi / 2),
                polar(base, size * 1.8, a - 0.35),
                polar(base, size * 0.5, a - math.pi / 2),
            ],
            part,
        )


def _coiled(s: Sketch, kind: str) -> Anatomy:
    u = s.u
    thick = u * (0.34 if kind == "wyrm" else 0.3) * s.jitter()
    sway = u * s.jitter(0.8, 1.2)
    base = s.ground - thick
    s.limb(
        [
            (s.cx - u * 1.9, base),
            (s.cx - u * 0.5, base + thick * 0.2),
            (s.cx + u * 1.3, base - thick * 0.3),
            (s.cx + u * 1.6, base - u * 0.7),
            (s.cx + u * 0.6, base - u * 0.9),
            (s.cx - u * 0.4, base - u * 0.6),
        ],
        thick * 0.5,
        thick,
        Part.BACK,
    )
    neck = s.limb(
        [
            (s.cx - u * 0.6, base - u * 0.5),
            (s.cx - sway * 0.9, base - u * 1.4),
            (s.cx + sway * 0.2, base - u * 2.2),
            (s.cx + u * 0.5, base - u * 3.0),
        ],
        thick,
        thick * 0.7,
    )
    s.limb(
        [
            (s.cx - u * 2.4, base + thick * 0.3),
            (s.cx - u * 1.4, base + thick * 0.2),
            (s.cx + u * 1.0, base + thick * 0.1),
        ],
        thick * 0.25,
        thick * 0.9,
    )
    _spikes(s, neck, thick * (0.5 + 0.4 * s.traits.attack), max(4, len(neck) // 7))
    tips: list[Point] = []
    if kind == "wyrm":
        tips.append(membrane_wing(s, (s.cx - u * 0.1, base - u * 1.6), u * 1.9, -2.4, Part.BACK, 4))
    hr = u * 0.36
    eye, horns = _head(s, neck[-1], hr, 2 if kind == "wyrm" else 1)
    for k in range(0, len(neck), 6):
        x, y = neck[k]
        s.line([(x - thick * 0.6, y), (x + thick * 0.6, y + thick * 0.1)], u * 0.04)
    return Anatomy([eye], hr * 0.18, neck[len(neck) // 2], (neck[-1][0], neck[-1][1] - hr), horns + tips)


def _eel(s: Sketch) -> Anatomy:
    u = s.u
    y0 = s.ground - u * 1.45
    amp = u * 0.45 * s.jitter()
    points = [(s.cx - u * 2.5 + k * u * 0.55, y0 + amp * math.sin(k * 1.1 + 0.6)) for k in range(9)]
    body = s.limb(points, u * 0.08, u * 0.3)
    for k in range(4, len(body) - 4, 8):
        x, y = body[k]
        h = u * 0.12 * min(1.0, k / len(body) * 2)
        s.poly([(x - u * 0.2, y), (x - u * 0.1, y - h - u * 0.2), (x + u * 0.2, y)], Part.FRONT)
        s.dot((x, y), u * 0.05, Part.GLOW)
    head = body[-1]
    s.oval((head[0] + u * 0.2, head[1]), u * 0.4, u * 0.27, 0.1)
    eye = (head[0] + u * 0.35, head[1] - u * 0.08)
    return Anatomy([eye], u * 0.06, body[len(body) // 2], (head[0], head[1] - u * 0.3), [points[0]])


def _drake(s: Sketch) -> Anatomy:
    u = s.u
    body = (s.cx - u * 0.2, s.ground - u * 1.35)
    tips = [membrane_wing(s, (body[0] + u * 0.15, body[1] - u * 0.35), u * 2.0, -2.0, Part.BACK, 4)]
    for part, dx in ((Part.BACK, u * 0.2), (Part.FRONT, 0.0)):
        hip = (body[0] - u * 0.1 + dx, body[1] + u * 0.2)
        s.limb(
            [hip, (hip[0] + u * 0.35, hip[1] + u * 0.45), (hip[0] - u * 0.05, s.ground - u * 0.05)],
            u * 0.3,
            u * 0.09,
            part,
        )
        s.poly(
            [
                (hip[0] - u * 0.1, s.ground),
                (hip[0] + u * 0.4, s.ground - u * 0.05),
                (hip[0] + u * 0.05, s.ground - u * 0.2),
            ],
            part,
        )
    s.oval(body, u * 0.8, u * 0.55, -0.5)
    tail = s.limb(
        [
            (body[0] - u * 0.5, body[1] + u * 0.3),
            (body[0] - u * 1.3, s.ground - u * 0.15),
            (body[0] - u * 2.2, s.ground - u * 0.3),
            (body[0] - u * 2.5, s.ground - u * 0.8),
        ],
        u * 0.3,
        u * 0.05,
    )
    s.poly([polar(tail[-1], u * 0.25, -2.5), polar(tail[-1], u * 0.1, 0.5), polar(tail[-1], u * 0.35, -0.9)])
    neck = s.limb(
        [
            (body[0] + u * 0.45, body[1] - u * 0.35),
            (body[0] + u * 0.8, body[1] - u * 1.0),
            (body[0] + u * 1.05, body[1] - u * 1.55),
        ],
        u * 0.28,
        u * 0.2,
    )
    _spikes(s, neck, u * 0.14, 5)
    tips.append(membrane_wing(s, (body[0] - u * 0.05, body[1] - u * 0.4), u * 2.2, -2.5, Part.FRONT, 4))
    hr = u * 0.34
    eye, horns = _head(s, neck[-1], hr, 2)
    s.line([(body[0] + u * 0.2, body[1] - u * 0.2), (body[0] + u * 0.35, body[1] + u * 0.35)], u * 0.05)
    return Anatomy([eye], hr * 0.18, body, (neck[-1][0], neck[-1][1] - hr), horns + tips)


def paint(s: Sketch) -> Anatomy:
    kind = s.kind(KINDS, ("serpent", "eel", "drake", "wyrm"))
    if kind == "eel":
        return _eel(s)
    if kind == "drake":
        return _drake(s)
    return _coiled(s, kind)
