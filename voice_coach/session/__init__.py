"""The pure session core: ``(state, event, now) -> (state, actions)``."""
