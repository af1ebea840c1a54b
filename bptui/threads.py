"""NumPy's BLAS on one thread, set before NumPy loads.

bptui's matrices are a few units wide: a product takes microseconds, and a second BLAS thread
only spins beside the first, burning a core that the screen (or another process) needs.
Measured playing `diamond` at max speed (benchmarks/bench_app.py): two OpenBLAS threads took
1.7 cores for fewer frames than one thread gives on one core. The variables only take effect
when set before NumPy is imported, so the `bptui` command calls `one_blas_thread()` first
thing; a value the user set stays. `bptui serve` gives each session the same (ONE_THREAD).
"""

from __future__ import annotations

import os

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def one_blas_thread() -> None:
    """Ask OpenMP, OpenBLAS and MKL for one thread, unless the user chose otherwise."""
    for name, value in ONE_THREAD.items():
        os.environ.setdefault(name, value)
