"""`faye db backup FILE`: the copy, its audit, and the refusals, as a script sees them."""

from __future__ import annotations

from pathlib import Path

from faye.schema import HEAD
from tests.cli.conftest import Faye


def test_backup_writes_a_copy_that_audits_clean(faye: Faye, tmp_path: Path) -> None:
    assert faye("start", "--user", "ana", "--accept-policy").exit_code == 0
    code, doc = faye.json("db", "backup", str(tmp_path / "copy.db"))
    assert code == 0, doc
    assert (doc["method"], doc["revision"], doc["audit"]["consistent"], doc["audit"]["players"]) == (
        "sqlite_backup",
        HEAD,
        True,
        1,
    )
    assert doc["bytes"] == (tmp_path / "copy.db").stat().st_size
    code, copied = faye.json("balance", "--user", "ana", "--db", str(tmp_path / "copy.db"))
    assert (code, copied["user_id"]) == (0, "ana")
    shown = faye("db", "backup", str(tmp_path / "again.db"))
    assert shown.exit_code == 0
    assert "Backed up to" in shown.stdout
    assert "audits clean" in shown.stdout


def test_backup_refuses_to_overwrite(faye: Faye, tmp_path: Path) -> None:
    assert faye("start", "--user", "ana", "--accept-policy").exit_code == 0
    (tmp_path / "there.db").write_bytes(b"keep me")
    code, doc = faye.json("db", "backup", str(tmp_path / "there.db"))
    assert (code, doc["error"]["code"]) == (2, "invalid_argument")
    assert (tmp_path / "there.db").read_bytes() == b"keep me"
