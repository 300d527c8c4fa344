package dev.theon.simd.blas;

import java.lang.foreign.MemorySegment;

/**
 * A strided matrix view over storage: element (i, j) is at storage index {@code off + i * rs + j * cs}. Any layout
 * (row-major, a transpose, a slice) is a Mat, so the BLAS kernels take transposed operands without copying them.
 */
public record Mat(MemorySegment seg, long off, long rs, long cs, int rows, int cols) {
    /** The transpose: rows and columns swapped, no data moved. */
    public Mat t() { return new Mat(seg, off, cs, rs, cols, rows); }
}
