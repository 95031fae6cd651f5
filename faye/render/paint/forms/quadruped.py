"""Four-legged beasts seen from the side, facing right: canids, felines, equines, deer and rams.

The variant comes from the Esprit's id ('fox', 'lynx', 'kirin', 'stag' …) or its seed, and sets the build:
leg length, neck, muzzle, ears, tail, horns or antlers. The seed then varies every proportion a little, and
a rare canid grows more tails (nine, from Mythic on).
"""

from __future__ import annotations

from dataclasses import dataclass

from faye.render.paint.forms.parts import antler, horn, spiral
from faye.render.paint.sketch import Anatomy, Part, Sketch
from faye.render.paint.tools import Point, lerp, polar


@dataclass(frozen=True)
class Build:
    leg: float
    length: float
    depth: float
    neck: float
    head: float
    muzzle: float
    snout_tip: float
    ear: float
    ear_width: float


BUILDS = {
    "canid": Build(0.95, 1.1, 0.46, 0.35, 0.36, 0.62, 0.1, 0.62, 0.3),
    "feline": Build(0.9, 1.25, 0.44, 0.25, 0.38, 0.26, 0.28, 0.42, 0.32),
    "equine": Build(1.45, 1.3, 0.56, 0.95, 0.3, 0.7, 0.3, 0.3, 0.18),
    "cervid": Build(1.55, 1.15, 0.48, 0.9, 0.3, 0.52, 0.2, 0.42, 0.22),
    "caprine": Build(1.05, 1.15, 0.62, 0.45, 0.34, 0.42, 0.24, 0.22, 0.2),
}
KINDS = {
    "fox": "canid",
    "wolf": "canid",
    "kit": "canid",
    "cat": "feline",
    "lynx": "feline",
    "panther": "feline",
    "tiger": "feline",
    "pony": "equine",
    "horse": "equine",
    "kirin": "equine",
    "unicorn": "equine",
    "doe": "cervid",
    "stag": "cervid",
    "elk": "cervid",
    "deer": "cervid",
    "ram": "caprine",
    "goat": "caprine",
}


@dataclass(frozen=True)
class Frame:
    """Landmarks of a drawn four-legged body, for heads and tails to attach to (a griffin reuses it)."""

    body: Point
    rx: float
    ry: float
    shoulder: Point
    rump: Point


def legs_and_body(s: Sketch, b: Build) -> Frame:
    """Body, four legs (the far pair darker) and haunches; the stance varies with the seed."""
    u = s.u
    rx, ry = u * b.length * s.jitter(), u * b.depth * s.jitter()
    leg = u * b.leg * s.jitter(0.92, 1.08)
    body = (s.cx - u * 0.35, s.ground - leg - ry * 0.45)
    hoof = b in (BUILDS["equine"], BUILDS["cervid"], BUILDS["caprine"])
    stride = u * s.rng.uniform(0.05, 0.25)
    for part, shift in ((Part.BACK, u * 0.16), (Part.FRONT, 0.0)):
        lead = stride if part is Part.BACK else -stride * 0.5
        fx, bx = body[0] + rx * 0.62 + shift, body[0] - rx * 0.62 + shift
        s.limb(
            [(fx, body[1]), (fx + u * 0.04 + lead * 0.5, body[1] + ry + leg * 0.3), (fx + lead, s.ground - u * 0.06)],
            u * 0.17,
            u * (0.07 if hoof else 0.09),
            part,
        )
        s.limb(
            [
                (bx + u * 0.1, body[1] - ry * 0.1),
                (bx - u * 0.14, body[1] + ry + leg * 0.3),
                (bx - u * 0.02 - lead, s.ground - u * 0.06),
            ],
            u * 0.27,
            u * (0.07 if hoof else 0.09),
            part,
        )
        for x in (fx + lead, bx - u * 0.02 - lead):
            s.oval((x + u * 0.05, s.ground - u * 0.05), u * (0.09 if hoof else 0.13), u * 0.07, 0.0, part)
    s.oval(body, rx, ry)
    s.oval((body[0] + rx * 0.55, body[1] - ry * 0.05), ry * 0.75, ry * 0.9)
    s.oval((body[0] - rx * 0.6, body[1] - ry * 0.05), ry * 0.8, ry * 0.95)
    return Frame(body, rx, ry, (body[0] + rx * 0.7, body[1] - ry * 0.35), (body[0] - rx * 0.95, body[1] - ry * 0.35))


def head_on_neck(s: Sketch, frame: Frame, b: Build) -> tuple[Point, float]:
    """Neck from the shoulder and the head at its end; returns the head's centre and radius."""
    u = s.u
    neck = u * b.neck * s.jitter()
    hr = u * b.head * s.jitter(0.95, 1.05)
    head = (frame.shoulder[0] + u * 0.25 + neck * 0.45, frame.shoulder[1] - u * 0.2 - neck * 0.85)
    s.limb([lerp(frame.shoulder, frame.body, 0.2), frame.shoulder, head], u * 0.34, hr * 0.7)
    s.oval(head, hr * 1.05, hr * 0.88, 0.15)
    return head, hr


def paint(s: Sketch) -> Anatomy:
    kind = s.kind(KINDS, tuple(BUILDS))
    b = BUILDS[kind]
    u, w = s.u, s.words
    frame = legs_and_body(s, b)
    head, hr = head_on_neck(s, frame, b)
    muzzle_tip = (head[0] + hr * 0.5 + u * b.muzzle, head[1] + hr * 0.45)
    s.limb([head, muzzle_tip], hr * 0.62, hr * b.snout_tip * 2.2)
    glints: list[Point] = []

    # Ears: the far one behind, the near one in front.
    for part, dx in ((Part.BACK, hr * 0.35), (Part.FRONT, 0.0)):
        root = (head[0] - hr * 0.35 + dx, head[1] - hr * 0.55)
        tilt = -1.75 if kind in ("canid", "feline") else -2.4
        tip = polar(root, u * b.ear * s.jitter(), tilt)
        half = u * b.ear_width * 0.5
        s.poly([(root[0] - half, root[1] + half * 0.5), tip, (root[0] + half, root[1] + half * 0.3)], part)
        if "lynx" in w:
            s.limb([tip, polar(tip, u * 0.18, -1.6)], u * 0.03, 2.0, part)

    # Horns and antlers.
    if "stag" in w or "elk" in w:
        size = u * (1.25 if "elk" in w else 1.05) * s.jitter(0.95, 1.05)
        tines = 3 + (s.rank >= 3) + ("elk" in w)
        for part, dx in ((Part.BACK, hr * 0.4), (Part.FRONT, 0.0)):
            glints += antler(s, (head[0] - hr * 0.1 + dx, head[1] - hr * 0.7), size, tines, part, dx / u)
    elif "kirin" in w or "unicorn" in w:
        glints.append(horn(s, (head[0] + hr * 0.25, head[1] - hr * 0.75), u * 0.85, -1.2, 0.25, u * 0.08, Part.FRONT))
        s.limb([glints[-1], (head[0] + hr * 0.25, head[1] - hr * 0.75)], u * 0.02, u * 0.05, Part.GLOW)
    elif kind == "caprine":
        glints.append(spiral(s, (head[0] - hr * 0.25, head[1] - hr * 0.1), hr * 1.05, u * 0.16, Part.FRONT))

    # Mane: jagged locks along the top of the neck (burning on a kirin).
    if kind == "equine":
        points = [lerp(frame.shoulder, head, t) for t in (0.0, 0.2, 0.4, 0.6, 0.8, 0.95)]
        for i, (x, y) in enumerate(points):
            flame = u * (0.45 if "kirin" in w else 0.3) * (1 - 0.1 * i)
            lock = [(x - u * 0.12, y + u * 0.05), (x - flame * 0.9, y - flame * 0.7), (x + u * 0.12, y - u * 0.05)]
            s.poly(lock)
            if "kirin" in w:
                s.poly(lock, Part.GLOW)

    # Tails.
    rump = frame.rump
    if kind == "canid":
        tails = 9 if s.rank >= 4 else 1
        for k in range(tails):
            spread = (k - (tails - 1) / 2) * 0.3
            end = polar(rump, u * 1.35 * s.jitter(), 3.6 + spread)
            bend = polar(rump, u * 0.8, 2.75 + spread * 0.6)
            s.tuft([rump, bend, end], u * (0.3 if tails == 1 else 0.2), Part.FRONT, tip=0.22)
            glints.append(end)
    elif kind == "feline" and "lynx" in w:
        s.tuft([rump, polar(rump, u * 0.35, 3.6)], u * 0.12)
    elif kind == "feline":
        s.limb(
            [
                rump,
                (rump[0] - u * 0.55, rump[1] + u * 0.7),
                (rump[0] - u * 1.15, rump[1] + u * 0.2),
                (rump[0] - u * 1.05, rump[1] - u * 0.55),
            ],
            u * 0.09,
            u * 0.07,
        )
    elif kind == "equine":
        for k in range(3):
            s.limb(
                [
                    rump,
                    (rump[0] - u * (0.5 + 0.1 * k), rump[1] + u * 0.3),
                    (rump[0] - u * (0.45 + 0.2 * k), rump[1] + u * (1.25 - 0.1 * k)),
                ],
                u * 0.12,
                u * 0.04,
            )
    else:
        s.oval(polar(rump, u * 0.18, -2.6), u * 0.14, u * 0.08, -0.6)

    # Markings.
    bx, by = frame.body
    if kind == "feline" and "panther" not in w:
        for k in range(5):
            x = bx - frame.rx * 0.7 + k * frame.rx * 0.32
            if "lynx" in w:
                s.dot((x, by - frame.ry * 0.3), u * 0.06, Part.MARKS)
            else:
                s.line([(x, by - frame.ry * 0.95), (x + u * 0.1, by - frame.ry * 0.2)], u * 0.07)
    elif kind == "cervid" and "doe" in w:
        for k in range(6):
            s.dot(
                (bx - frame.rx * 0.6 + k * frame.rx * 0.22, by - frame.ry * (0.55 - 0.2 * (k % 2))),
                u * 0.05,
                Part.MARKS,
            )
    elif kind == "canid":
        s.oval((frame.shoulder[0] + u * 0.15, frame.shoulder[1] + u * 0.25), u * 0.2, u * 0.32, 0.3, Part.MARKS)
    eye = (head[0] + hr * 0.3, head[1] - hr * 0.08)
    return Anatomy([eye], hr * 0.15, (bx + frame.rx * 0.3, by), (head[0], head[1] - hr), glints)
