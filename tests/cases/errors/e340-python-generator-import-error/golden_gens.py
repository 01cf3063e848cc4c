"""Custom generators; the spec names one that is not here."""


def skus(row: dict, n: int, rng: object, fake: object, *, prefix: str) -> str:
    return f"{prefix}-{n}"
