"""Birds: a perching songbird, an owl, a wading heron, a raptor or roc in flight, a phoenix, a griffin.

Perched birds face right with folded wings; fliers spread both wings above them (the far wing darker), a
phoenix trails long plumes and a burning crest, and a griffin is an eagle's fore-body on a lion's frame.
"""

from __future__ import annotations

import math

from faye.render.paint.forms import quadruped
from faye.render.paint.forms.parts import feather_wing
from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, lerp, polar

KINDS = {
    "sparrow": "perch",
    "finch": "perch",
    "wren": "perch",
    "owl": "owl",
    "heron": "wader",
    "crane": "wader",
    "stork": "wader",
    "hawk": "raptor",
    "eagle": "raptor",
    "roc": "raptor",
    "phoenix": "phoenix",
    "griffin": "griffin",
}


def _beak(s: Sketch, head: Point, hr: float, length: float, hooked: bool) -> None:
    base_top, base_low = (head[0] + hr * 0.6, head[1] - hr * 0.35), (head[0] + hr * 0.6, head[1] + hr * 0.35)
    tip = (head[0] + hr * 0.7 + length, head[1] + (hr * 0.35 if hooked else hr * 0.1))
    s.poly([base_top, tip, base_low])
    if hooked:
        s.limb(
            [(tip[0] - hr * 0.25, tip[1] - hr * 0.25), tip, (tip[0] - hr * 0.05, tip[1] + hr * 0.25)],
            hr * 0.1,
            hr * 0.05,
        )


def _perched(s: Sketch, kind: str) -> Anatomy:
    u = s.u * (1.15 if kind == "perch" else 1.0)
    tall = kind == "wader"
    leg = u * (1.5 if tall else 0.35)
    body = (s.cx - u * 0.2, s.ground - leg - u * 0.55)
    rx, ry = u * (0.85 if tall else 0.75) * s.jitter(), u * 0.5 * s.jitter()
    tilt = -0.25 if tall else -0.45
    for part, dx in ((Part.BACK, u * 0.12), (Part.FRONT, 0.0)):
        hip = (body[0] + dx, body[1] + ry * 0.5)
        knee = (hip[0] + u * 0.1, hip[1] + leg * 0.5)
        foot = (hip[0] - u * 0.02, s.ground - u * 0.04)
        s.limb([hip, knee, foot], u * (0.05 if tall else 0.06), u * 0.035, part)
        s.limb([foot, (foot[0] + u * 0.25, foot[1] + u * 0.02)], u * 0.03, u * 0.02, part)
    if not tall:  # a branch to perch on
        s.limb(
            [(s.cx - u * 1.9, s.ground + u * 0.02), (s.cx + u * 1.6, s.ground - u * 0.08)],
            u * 0.09,
            u * 0.05,
            Part.BACK,
        )
    s.oval(body, rx, ry, tilt)
    tail_root = polar(body, rx * 0.85, math.pi + tilt)
    tail_angle = math.pi - (0.55 if kind == "perch" else 0.15)
    s.poly(
        [
            polar(tail_root, u * 0.2, -math.pi / 2),
            polar(tail_root, u * 0.95, tail_angle - 0.12),
            polar(tail_root, u * 0.95, tail_angle + 0.12),
            polar(tail_root, u * 0.2, math.pi / 2),
        ]
    )
    # the folded wing, its feathers in the pattern
    wing = [
        polar(body, rx * 0.5, tilt - 2.2),
        polar(body, rx * 1.45, math.pi + tilt - 0.05),
        polar(body, rx * 0.4, 1.9),
    ]
    s.poly(wing)
    for k in range(3):
        s.line([lerp(wing[0], wing[2], 0.3 + 0.25 * k), lerp(wing[1], body, 0.1 * k)], u * 0.04)
    neck = u * (1.05 if tall else 0.1)
    hr = u * (0.24 if tall else 0.4) * s.jitter(0.95, 1.05)
    shoulder = polar(body, rx * 0.7, tilt)
    if tall:  # the heron's S-curved neck
        head = (shoulder[0] + u * 0.3, shoulder[1] - neck)
        s.limb(
            [
                shoulder,
                (shoulder[0] + u * 0.35, shoulder[1] - neck * 0.3),
                (shoulder[0] - u * 0.05, shoulder[1] - neck * 0.6),
                head,
            ],
            u * 0.16,
            u * 0.1,
        )
        s.limb(
            [head, (head[0] - u * 0.45, head[1] - u * 0.05), (head[0] - u * 0.75, head[1] + u * 0.05)],
            u * 0.04,
            u * 0.01,
        )
    else:
        head = (shoulder[0] + u * 0.05, shoulder[1] - hr * 0.75)
    s.oval(head, hr, hr * 0.9)
    _beak(s, head, hr, u * (0.75 if tall else 0.25), hooked=False)
    eye = (head[0] + hr * 0.3, head[1] - hr * 0.15)
    return Anatomy([eye], hr * 0.2, body, (head[0], head[1] - hr), [polar(tail_root, u * 0.95, tail_angle)])


def _owl(s: Sketch) -> Anatomy:
    u = s.u * 1.05
    body = (s.cx, s.ground - u * 1.05)
    rx, ry = u * 0.75 * s.jitter(), u * 0.95 * s.jitter()
    s.limb(
        [(s.cx - u * 1.6, s.ground + u * 0.02), (s.cx + u * 1.6, s.ground - u * 0.05)], u * 0.09, u * 0.06, Part.BACK
    )
    s.oval(body, rx, ry)
    for side in (-1, 1):
        s.poly(
            [
                (s.cx + side * rx * 0.55, body[1] - ry * 0.6),
                (s.cx + side * rx * 1.15, body[1] + ry * 0.3),
                (s.cx + side * rx * 0.6, body[1] + ry * 1.05),
            ]
        )
        s.limb([(s.cx + side * u * 0.2, s.ground - u * 0.15), (s.cx + side * u * 0.25, s.ground)], u * 0.08, u * 0.05)
    hr = u * 0.62 * s.jitter(0.95, 1.05)
    head = (s.cx, body[1] - ry - hr * 0.45)
    s.oval(head, hr * 1.1, hr * 0.9)
    s.both(
        [
            (s.cx + hr * 0.45, head[1] - hr * 0.55),
            (s.cx + hr * 1.05, head[1] - hr * 1.35),
            (s.cx + hr * 0.95, head[1] - hr * 0.3),
        ]
    )
    for side in (-1, 1):
        s.dot((s.cx + side * hr * 0.45, head[1]), hr * 0.42, Part.MARKS)
    for k in range(4):
        y = body[1] - ry * 0.3 + k * ry * 0.3
        s.line([(s.cx - rx * 0.35, y), (s.cx, y + u * 0.1), (s.cx + rx * 0.35, y)], u * 0.04)
    s.poly(
        [(s.cx - hr * 0.12, head[1] + hr * 0.15), (s.cx, head[1] + hr * 0.5), (s.cx + hr * 0.12, head[1] + hr * 0.15)]
    )
    eyes = [(s.cx - hr * 0.45, head[1]), (s.cx + hr * 0.45, head[1])]
    return Anatomy(
        eyes,
        hr * 0.2,
        body,
        (s.cx, head[1] - hr * 1.2),
        [(s.cx - hr, head[1] - hr * 1.3), (s.cx + hr, head[1] - hr * 1.3)],
    )


def _flier(s: Sketch, kind: str) -> Anatomy:
    """Seen from the front, wings spread in a V above a fanned tail; the head turned to show its beak."""
    u = s.u * (1.05 if "roc" in s.words else 0.95)
    body = (s.cx, s.ground - u * 1.55)
    rx, ry = u * 0.42 * s.jitter(), u * 0.8 * s.jitter()
    span = u * (2.45 if kind == "phoenix" or "roc" in s.words else 2.1) * s.jitter(0.95, 1.05)
    lift = -0.3 - 0.15 * s.traits.speed
    shoulder = (s.cx + rx * 0.5, body[1] - ry * 0.45)
    tips = [feather_wing(s, shoulder, span, lift, Part.FRONT, 7, mirrored=True)]
    tips.append((2 * s.cx - tips[0][0], tips[0][1]))
    s.oval(body, rx, ry)
    tail_root = (s.cx, body[1] + ry * 0.7)
    if kind == "phoenix":
        plumes = 3 + min(2, max(0, s.rank - 3))
        for k in range(plumes):
            side = k - (plumes - 1) / 2
            end = (s.cx + side * u * 1.1, s.ground - u * 0.35 - abs(side) * u * 0.25)
            path = [tail_root, (s.cx + side * u * 0.15, tail_root[1] + u * 0.5), end]
            s.tuft(path, u * 0.16, Part.FRONT, tip=0.3)
            s.tuft(path[1:], u * 0.07, Part.GLOW)
            tips.append(end)
    else:
        fan = [tail_root]
        for k in range(6):
            a = math.pi / 2 + (k - 2.5) * 0.17
            fan += [polar(tail_root, u * 0.95, a - 0.06), polar(tail_root, u * 1.02, a)]
        s.poly(fan)
    for side in (-1, 1):
        s.limb(
            [(s.cx + side * rx * 0.4, body[1] + ry * 0.6), (s.cx + side * rx * 0.55, body[1] + ry * 1.05)],
            u * 0.07,
            u * 0.05,
        )
    hr = u * 0.34
    head = (s.cx + u * 0.05, body[1] - ry - hr * 0.45)
    s.limb([(s.cx, body[1] - ry * 0.6), head], u * 0.3, hr * 0.85)
    s.oval(head, hr, hr * 0.88)
    _beak(s, head, hr, u * 0.26, hooked=True)
    for k in range(3 if kind == "phoenix" else 0):
        crest = [(head[0] - hr * 0.1, head[1] - hr * 0.6), polar(head, hr * (2.1 - 0.3 * k), -1.9 - 0.35 * k)]
        s.limb(crest, u * 0.07, u * 0.02)
        s.limb(crest, u * 0.04, u * 0.01, Part.GLOW)
        tips.append(crest[-1])
    for k in range(3):
        y = body[1] - ry * 0.2 + k * ry * 0.3
        s.line([(s.cx - rx * 0.5, y), (s.cx, y + u * 0.12), (s.cx + rx * 0.5, y)], u * 0.04)
    eye = (head[0] + hr * 0.3, head[1] - hr * 0.15)
    return Anatomy([eye], hr * 0.2, body, (head[0], head[1] - hr), tips)


def _griffin(s: Sketch) -> Anatomy:
    b = quadruped.BUILDS["feline"]
    frame = quadruped.legs_and_body(s, b)
    u = s.u
    shoulder = frame.shoulder
    tips = [
        feather_wing(s, (shoulder[0] - u * 0.2, shoulder[1]), u * 1.8, -2.45, Part.BACK, 6),
        feather_wing(s, (shoulder[0] - u * 0.4, shoulder[1] + u * 0.05), u * 2.0, -2.75, Part.FRONT, 7),
    ]
    hr = u * 0.36
    head = (shoulder[0] + u * 0.5, shoulder[1] - u * 0.6)
    s.limb([lerp(shoulder, frame.body, 0.2), shoulder, head], u * 0.36, hr * 0.8)
    s.oval(head, hr, hr * 0.85)
    _beak(s, head, hr, u * 0.32, hooked=True)
    rump = frame.rump
    s.limb([rump, (rump[0] - u * 0.6, rump[1] + u * 0.6), (rump[0] - u * 1.1, rump[1] + u * 0.1)], u * 0.08, u * 0.06)
    s.tuft([(rump[0] - u * 1.0, rump[1] + u * 0.25), (rump[0] - u * 1.3, rump[1] - u * 0.1)], u * 0.14)
    eye = (head[0] + hr * 0.25, head[1] - hr * 0.15)
    return Anatomy([eye], hr * 0.2, frame.body, (head[0], head[1] - hr), tips)


def paint(s: Sketch) -> Anatomy:
    kind = s.kind(KINDS, ("perch", "owl", "wader", "raptor"))
    if kind == "owl":
        return _owl(s)
    if kind == "griffin":
        return _griffin(s)
    if kind in ("raptor", "phoenix"):
        return _flier(s, kind)
    return _perched(s, kind)
