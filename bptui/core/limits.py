"""bptui's input limits, in one place, and the checks on products of sizes made before any
array is allocated (each size may be within its limit while the product is not)."""

from __future__ import annotations

MAX_UNITS = 10_000  # units in a layer (the input layer too: CSV columns after one-hot)
MAX_PARAMS = 2_000_000  # weights in a network
MAX_SAMPLES = 1_000_000  # pattern samples
MAX_RECORD_UNITS = 10_000_000  # records × units of all layers (full-batch arrays are m × n_l)
MAX_EPOCHS = 10_000_000  # epochs a scenario or `train --epochs` asks for
MAX_CLASSES = 50  # softmax outputs
MAX_SESSION_BYTES = 256 * 2**20  # a saved session (JSON); other files: files.MAX_BYTES
SEED_END = 2**32  # NumPy's RandomState seeds are whole numbers in [0, 2³²)


def record_units(m: int, sizes) -> str | None:
    """Why m records through a network of `sizes` are too many, or None."""
    n = m * sum(sizes)
    if n <= MAX_RECORD_UNITS:
        return None
    return (
        f"{m:,} records × {sum(sizes):,} units = {n:,} values per pass; at most {MAX_RECORD_UNITS:,} "
        "(fewer records or smaller layers)"
    )
