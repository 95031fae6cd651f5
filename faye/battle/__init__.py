"""Pure battle rules: teams, turns, damage and the log (faye.battle.engine), their numbers (faye.battle.settings)
and duel ratings (faye.battle.rating). No database, no I/O.

Nothing is imported here: faye.config imports faye.battle.settings, and loading the game data must not pay for
numpy or the engine.
"""
