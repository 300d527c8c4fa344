package dev.theon.simd.blas;

import dev.theon.tensor.DType;

import java.lang.foreign.MemorySegment;

/** The BLAS entry points by dtype (float32 or float64). */
public final class Blas {
    private Blas() {}

    /** C = A B into row-major C at storage index {@code co} with row stride {@code ldc}. */
    public static void gemm(DType dt, Mat a, Mat b, MemorySegment c, long co, long ldc, int maxThreads) {
        if (dt == DType.FLOAT32) Sgemm.gemm(a, b, c, co, ldc, maxThreads);
        else Dgemm.gemm(a, b, c, co, ldc, maxThreads);
    }

    /**
     * D = alpha A B + beta C into row-major D at storage index {@code dOff} with row stride {@code ldd}; C is a view of
     * D's shape (broadcast views too: zero strides) or null (then D = alpha A B). D must not overlap A, B or C.
     */
    public static void gemm(DType dt, double alpha, Mat a, Mat b, double beta, Mat c, MemorySegment d, long dOff, long ldd, int maxThreads) {
        if (dt == DType.FLOAT32) Sgemm.gemm((float) alpha, a, b, (float) beta, c, d, dOff, ldd, maxThreads);
        else Dgemm.gemm(alpha, a, b, beta, c, d, dOff, ldd, maxThreads);
    }

    /** y = A x, with element strides {@code xs} and {@code ys}. */
    public static void gemv(DType dt, Mat a, MemorySegment x, long xo, long xs, MemorySegment y, long yo, long ys, int maxThreads) {
        if (dt == DType.FLOAT32) Sgemm.gemv(a, x, xo, xs, y, yo, ys, maxThreads);
        else Dgemm.gemv(a, x, xo, xs, y, yo, ys, maxThreads);
    }
}
