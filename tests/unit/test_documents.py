"""The project documents itself: its architecture page is in the repository, and nothing in the
repository sends a reader to a document it does not carry."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_architecture_page_covers_the_layers_the_ladder_the_delivery_guarantee_and_a_check():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for heading in ("## Layers", "## The ladder", "## A check, step by step",
                    "## The delivery guarantee"):
        assert heading in page


def test_no_file_refers_to_a_design_document_outside_the_repository():
    # The brief the project grew from is not part of it; the repository's own pages replace it.
    outside = ("DESIGN" + ".md", "../" + "shared")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    found = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".xlsx", ".png"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}: {needle}" for needle in outside if needle in text]
    assert found == []
