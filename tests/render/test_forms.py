"""Body plans: every Esprit has a form, and forms differ in outline, not only in colour."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from faye.config import EspritForm, GameConfig, load_config
from faye.errors import ConfigError
from faye.render.data import face_of
from faye.render.paint import creature
from faye.settings import DEFAULT_CONFIG_DIR

SMALL = (180, 118)
"""Silhouettes are compared at a quarter of the art's supersampled size: outline, not detail."""
SAME_FORM = [
    ("ember_fox_kit", "wraithmoon_fox"),
    ("rimecrown_stag", "thunderhoof_elk"),
    ("ashmane_pony", "tempest_kirin"),
    ("glacier_lynx", "eclipse_panther"),
    ("blazewing_hawk", "solheart_phoenix"),
    ("deeptide_serpent", "everwinter_wyrm"),
    ("virelite_golem", "obsidian_colossus"),
    ("sunpetal_sylph", "faylight_sovereign"),
]


@pytest.fixture(scope="module")
def masks() -> dict[str, tuple[np.ndarray, str]]:
    config = load_config(DEFAULT_CONFIG_DIR)
    return {
        e.esprit_id: (np.asarray(creature(face_of(e, config).art, SMALL).silhouette) > 127, e.form.value)
        for e in config.esprits
    }


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def test_every_esprit_has_one_of_at_least_eight_forms(config: GameConfig) -> None:
    forms = {e.form for e in config.esprits}
    assert len(forms) >= 8
    assert all(isinstance(e.form, EspritForm) for e in config.esprits)
    expected = {"ember_fox_kit": "quadruped", "mistveil_heron": "bird", "mossback_tortoise": "shelled"}
    assert {i: config.esprits_by_id[i].form.value for i in expected} == expected


@pytest.mark.parametrize("form", [None, "dragonish"])
def test_a_missing_or_unknown_form_is_refused_naming_the_field(tmp_path: Path, form: str | None) -> None:
    copy = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, copy)
    data = json.loads((copy / "esprits.json").read_text(encoding="utf-8"))
    if form is None:
        del data["esprits"][3]["form"]
    else:
        data["esprits"][3]["form"] = form
    (copy / "esprits.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(copy)
    assert any(p.startswith("esprits.json: esprits.3.form") for p in caught.value.problems), caught.value.problems


def test_forms_differ_in_outline_far_more_than_within_a_form(masks: dict[str, tuple[np.ndarray, str]]) -> None:
    """IoU of the painted creatures' alpha masks: one species family overlaps, different forms do not."""
    same: list[float] = []
    different: list[float] = []
    for (_, (a, form_a)), (_, (b, form_b)) in itertools.combinations(masks.items(), 2):
        (same if form_a == form_b else different).append(iou(a, b))
    kin = [iou(masks[a][0], masks[b][0]) for a, b in SAME_FORM]
    assert np.mean(different) < 0.8 * np.mean(same), (np.mean(different), np.mean(same))
    assert np.mean(different) < 0.55 * np.mean(kin), (np.mean(different), np.mean(kin))
    assert min(kin) > max(0.3, float(np.median(different)))


def test_two_of_one_form_still_differ(masks: dict[str, tuple[np.ndarray, str]]) -> None:
    for a, b in SAME_FORM:
        assert iou(masks[a][0], masks[b][0]) < 0.95, (a, b)
