package dev.theon.simd.blas;

import java.lang.foreign.MemorySegment;

/**
 * Where a product goes: {@code D = alpha * (A B) + beta * C}, D a strided m x n view (element (i, j) at
 * {@code doff + i * drs + j * dcs} of {@code d}) and C an optional strided view of the same shape, which may broadcast
 * (zero strides: a bias row or column). Without C, {@code D = alpha * (A B)}. D must not overlap A or B; it may be C
 * itself (same offset and strides), since each element of C is read before D's element is written.
 * <p>
 * The product kernels apply alpha and beta C when they write a tile, so the product is written once, not written and
 * then read back by a second pass.
 */
record Target(MemorySegment d, long doff, long drs, long dcs, double alpha, double beta, MemorySegment c, long coff, long crs, long ccs) {

    /** D (row-major, row stride {@code ldd}) = A B. */
    static Target of(MemorySegment d, long doff, long ldd) { return new Target(d, doff, ldd, 1, 1, 0, null, 0, 0, 0); }

    /** D (row-major, row stride {@code ldd}) = alpha A B + beta C, C a view of D's shape or null. */
    static Target of(double alpha, double beta, Mat c, MemorySegment d, long doff, long ldd) {
        return c == null ? new Target(d, doff, ldd, 1, alpha, beta, null, 0, 0, 0)
                : new Target(d, doff, ldd, 1, alpha, beta, c.seg(), c.off(), c.rs(), c.cs());
    }

    /** The target of the transposed product {@code D^T = alpha B^T A^T + beta C^T}. */
    Target t() { return new Target(d, doff, dcs, drs, alpha, beta, c, coff, ccs, crs); }

    /** The target of the sub-product whose (0, 0) is this one's (i, j). */
    Target at(long i, long j) { return new Target(d, doff + i * drs + j * dcs, drs, dcs, alpha, beta, c, c == null ? 0 : coff + i * crs + j * ccs, crs, ccs); }

    /** Whether D is just the product (no scaling, no C): the kernels then only store. */
    boolean plain() { return alpha == 1 && c == null; }

    /** Whether rows of D, and of C if any, can be read and written as vectors (unit column strides; C may broadcast). */
    boolean rowsVector() { return dcs == 1 && (c == null || ccs == 1 || ccs == 0); }
}
