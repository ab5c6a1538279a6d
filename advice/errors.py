"""The advice desk's one error type."""


class AdviceError(ValueError):
    """An operation that cannot be done in the question's current state."""
