"""Text: glyphs the font lacks are dropped, text wraps on words, and nothing leaves its box."""

from __future__ import annotations

from faye.render.fonts import Face, attempts, drawable, fit_line, fit_text, has_glyph, wrap


def test_missing_glyphs_are_dropped_and_spaces_tidied() -> None:
    assert has_glyph(Face.TITLE, "é")
    assert not has_glyph(Face.TITLE, "🔥")
    assert drawable("Ana 🔥 the Bold ✨", Face.TITLE) == "Ana the Bold"
    assert drawable("❤️", Face.LABEL) == "❤"  # the heart is in DejaVu; the emoji variation selector is not drawn
    assert drawable("🔥🔥", Face.TITLE) == ""


def test_wrap_breaks_on_words_and_inside_words_wider_than_the_box() -> None:
    block = fit_text("a" * 80, Face.LABEL, 100, tuple(attempts(14, 14, 10)))
    assert len(block.lines) > 1
    assert all(block.font.getlength(line) <= 100 for line in block.lines)
    lines = wrap("one two three four", block.font, 10_000)
    assert lines == ["one two three four"]


def test_text_too_long_for_its_lines_ends_with_an_ellipsis() -> None:
    lore = "word " * 200
    block = fit_text(lore, Face.LORE, 340, tuple(attempts(13, 11, 3)))
    assert len(block.lines) == 3
    assert block.lines[-1].endswith("…")
    assert all(block.font.getlength(line) <= 340 for line in block.lines)


def test_a_name_shrinks_on_one_line_before_it_wraps() -> None:
    preferences = tuple(attempts(26, 18, 1) + attempts(18, 13, 2))
    assert fit_text("Ember Fox Kit", Face.TITLE, 296, preferences).size == 26
    medium = fit_text("Thornqueen Dryad of Moss", Face.TITLE, 296, preferences)
    assert len(medium.lines) == 1
    assert 18 <= medium.size < 26
    assert fit_line("x" * 300, Face.LABEL, 50, 12, 10).lines[0].endswith("…")
