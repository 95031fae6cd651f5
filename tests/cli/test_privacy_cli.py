"""`faye data export`, `faye admin forget` and `faye db restore`, as a script sees them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Faye


def test_export_writes_the_players_document(faye: Faye, player: str, tmp_path: Path) -> None:
    target = tmp_path / "ana.json"
    code, doc = faye.json("data", "export", "--user", player, "-o", str(target))
    assert code == 0, doc
    written = json.loads(target.read_text(encoding="utf-8"))
    assert (doc["user_id"], doc["bytes"], doc["counts"]["esprits"]) == (player, target.stat().st_size, 1)
    assert written["player"]["user_id"] == player
    assert len(written["esprits"]) == 1
    shown = faye("data", "export", "--user", player, "-o", str(tmp_path / "again.json"))
    assert shown.exit_code == 0
    assert "Exported" in shown.stdout
    code, doc = faye.json("data", "export", "--user", "nobody", "-o", str(tmp_path / "nobody.json"))
    assert (code, doc["error"]["code"]) == (1, "not_registered")
    assert not (tmp_path / "nobody.json").exists()
    code, doc = faye.json("data", "export", "--user", player, "-o", str(tmp_path / "missing" / "x.json"))
    assert (code, doc["error"]["code"], doc["error"]["field"]) == (2, "invalid_argument", "output")


def test_forget_needs_yes_then_deletes_and_the_audit_stays_clean(faye: Faye, player: str) -> None:
    assert faye("start", "--user", "ben", "--accept-policy").exit_code == 0
    code, doc = faye.json("admin", "forget", player)
    assert (code, doc["error"]["field"]) == (2, "yes")
    code, doc = faye.json("admin", "forget", player, "--yes")
    assert (code, doc["user_id"], doc["esprits_deleted"]) == (0, player, 1), doc
    code, doc = faye.json("balance", "--user", player)
    assert (code, doc["error"]["code"]) == (1, "not_registered")
    code, report = faye.json("admin", "audit")
    assert (code, report["consistent"], report["players"]) == (0, True, 1)
    code, doc = faye.json("start", "--user", player, "--accept-policy")
    assert (code, doc["error"]["code"]) == (1, "cooldown_active")
    shown = faye("admin", "forget", "ben", "--yes")
    assert shown.exit_code == 0
    assert "Deleted" in shown.stdout


def test_restore_previews_then_replaces(faye: Faye, player: str, tmp_path: Path) -> None:
    saved = tmp_path / "saved.db"
    assert faye.json("db", "backup", str(saved))[0] == 0
    assert faye("start", "--user", "ben", "--accept-policy").exit_code == 0
    code, preview = faye.json("db", "restore", str(saved))
    assert (code, preview["applied"], preview["current"]["counts"]["user"], preview["incoming"]["counts"]["user"]) == (
        0,
        False,
        2,
        1,
    )
    shown = faye("db", "restore", str(saved))
    assert "would be replaced by" in shown.stdout
    assert "--yes" in shown.stdout
    code, done = faye.json("db", "restore", str(saved), "--yes")
    assert (code, done["applied"], done["audit"]["consistent"], done["audit"]["players"]) == (0, True, True, 1)
    code, doc = faye.json("balance", "--user", "ben")
    assert (code, doc["error"]["code"]) == (1, "not_registered")
    (tmp_path / "junk.db").write_text("hello")
    code, doc = faye.json("db", "restore", str(tmp_path / "junk.db"), "--yes")
    assert (code, doc["error"]["code"], doc["error"]["field"]) == (2, "invalid_argument", "file")
