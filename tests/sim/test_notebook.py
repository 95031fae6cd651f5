"""notebooks/balancing.ipynb runs top to bottom on the shipped config, so it never rots."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "balancing.ipynb"


def test_balancing_notebook_executes() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=30, resources={"metadata": {"path": str(REPO)}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = [output for cell in code for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3  # the odds, simulation and economy charts
    text = "".join(o.get("text", "") for o in outputs)
    assert "Legendary" in text
    assert "1.605%" in text
    assert "rounds a battle" in text  # the battle matrix and its tier bands
    assert "add up to 1.000000000000" in text  # every Esprit's odds on a banner
