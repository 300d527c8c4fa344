package dev.theon.simd.blas;

import dev.theon.simd.Pool;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.theon.simd.blas.Dgemm.ES;
import static dev.theon.simd.blas.Dgemm.L;
import static dev.theon.simd.blas.Dgemm.ORDER;
import static dev.theon.simd.blas.Dgemm.S;

/** float64 products too small to pack, matrix-vector products, and the alpha/beta pass that follows them. */
final class DgemmSmall {
    private DgemmSmall() {}

    /** Unpacked D = A B for small sizes (D row-major: {@code t.dcs() == 1}): each row of D accumulated from rows of B. */
    static void direct(Mat a, Mat b, Target t) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        MemorySegment as = a.seg(), bs = b.seg(), c = t.d();
        long co = t.doff(), ldc = t.drs();
        if (b.cs() != 1) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s = Math.fma(as.getAtIndex(ValueLayout.JAVA_DOUBLE, a.off() + i * a.rs() + p * a.cs()),
                            bs.getAtIndex(ValueLayout.JAVA_DOUBLE, b.off() + p * b.rs() + j * b.cs()), s);
                c.setAtIndex(ValueLayout.JAVA_DOUBLE, co + i * ldc + j, s);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            long crow = (co + i * ldc) * ES;
            for (int j = 0; j < n; j += L) {
                VectorMask<Double> msk = S.indexInRange(j, n);
                DoubleVector acc = DoubleVector.zero(S);
                for (int p = 0; p < k; p++) {
                    double x = as.getAtIndex(ValueLayout.JAVA_DOUBLE, a.off() + i * a.rs() + p * a.cs());
                    acc = DoubleVector.fromMemorySegment(S, bs, (b.off() + p * b.rs() + j) * ES, ORDER, msk).fma(DoubleVector.broadcast(S, x), acc);
                }
                acc.intoMemorySegment(c, crow + (long) j * ES, ORDER, msk);
            }
        }
    }

    /**
     * The second pass of the small paths: {@code D = alpha D + beta C} over m x n (with {@code scaleD} false,
     * {@code D = beta C}, or 0 without C: a product over an empty K). Rows with unit strides run on vectors.
     */
    static void epilogue(Target t, int m, int n, boolean scaleD) {
        MemorySegment d = t.d(), c = t.c();
        double alpha = scaleD ? t.alpha() : 0.0, beta = t.beta();
        for (int i = 0; i < m; i++) {
            long dRow = t.doff() + i * t.drs(), cRow = t.coff() + i * t.crs();
            if (!t.rowsVector()) {
                for (int j = 0; j < n; j++) {
                    long at = dRow + j * t.dcs();
                    double x = scaleD ? alpha * d.getAtIndex(ValueLayout.JAVA_DOUBLE, at) : 0.0;
                    if (c != null) x += beta * c.getAtIndex(ValueLayout.JAVA_DOUBLE, cRow + j * t.ccs());
                    d.setAtIndex(ValueLayout.JAVA_DOUBLE, at, x);
                }
                continue;
            }
            DoubleVector av = DoubleVector.broadcast(S, alpha), bv = DoubleVector.broadcast(S, beta);
            DoubleVector cb = DoubleVector.broadcast(S, c != null && t.ccs() == 0 ? beta * c.getAtIndex(ValueLayout.JAVA_DOUBLE, cRow) : 0.0);
            for (int j = 0; j < n; j += L) {
                VectorMask<Double> msk = S.indexInRange(j, n);
                long at = (dRow + j) * ES;
                DoubleVector x = scaleD ? DoubleVector.fromMemorySegment(S, d, at, ORDER, msk).mul(av) : DoubleVector.zero(S);
                if (c != null) x = x.add(t.ccs() == 0 ? cb : DoubleVector.fromMemorySegment(S, c, (cRow + j) * ES, ORDER, msk).mul(bv));
                x.intoMemorySegment(d, at, ORDER, msk);
            }
        }
    }

    /** y[i * ys] = sum_p A[i, p] x[p * xs], for i < A.rows (y at storage index yo of {@code y}). */
    static void gemv(Mat a, MemorySegment x, long xo, long xs, MemorySegment y, long yo, long ys, int maxThreads) {
        int m = a.rows(), k = a.cols();
        long work = (long) m * k;
        int parts = work < (1 << 18) ? 1 : Math.min(maxThreads, Pool.parallelism());
        if (a.cs() == 1 && xs == 1) {
            // rows of A are contiguous: one dot product per row
            Pool.run(Math.min(parts, m), (p, q) -> {
                for (int i = m * p / q; i < m * (p + 1) / q; i++)
                    y.setAtIndex(ValueLayout.JAVA_DOUBLE, yo + i * ys, dot(a.seg(), a.off() + i * a.rs(), x, xo, k));
            });
            return;
        }
        if (a.rs() == 1 && ys == 1) {
            // columns of A are contiguous: y accumulates x[p] times each column, split by rows of y
            Pool.run(Math.min(parts, Math.max(1, m / (4 * L))), (p, q) -> {
                int i0 = m * p / q / L * L, i1 = p == q - 1 ? m : m * (p + 1) / q / L * L;
                axpyColumns(a, x, xo, xs, y, yo, i0, i1);
            });
            return;
        }
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int p = 0; p < k; p++)
                s = Math.fma(a.seg().getAtIndex(ValueLayout.JAVA_DOUBLE, a.off() + i * a.rs() + p * a.cs()), x.getAtIndex(ValueLayout.JAVA_DOUBLE, xo + p * xs), s);
            y.setAtIndex(ValueLayout.JAVA_DOUBLE, yo + i * ys, s);
        }
    }

    private static void axpyColumns(Mat a, MemorySegment x, long xo, long xs, MemorySegment y, long yo, int i0, int i1) {
        int k = a.cols();
        MemorySegment as = a.seg();
        for (int i = i0; i < i1; i += L) {
            VectorMask<Double> msk = S.indexInRange(i, i1);
            DoubleVector acc = DoubleVector.zero(S);
            for (int p = 0; p < k; p++) {
                double xv = x.getAtIndex(ValueLayout.JAVA_DOUBLE, xo + p * xs);
                acc = DoubleVector.fromMemorySegment(S, as, (a.off() + i + p * a.cs()) * ES, ORDER, msk).fma(DoubleVector.broadcast(S, xv), acc);
            }
            acc.intoMemorySegment(y, (yo + i) * ES, ORDER, msk);
        }
    }

    /** sum_p a[ao + p] * x[xo + p] over n contiguous elements, with four vector accumulators. */
    static double dot(MemorySegment a, long ao, MemorySegment x, long xo, int n) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        long ab = ao * ES, xb = xo * ES;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            long o = (long) ES * i;
            s0 = DoubleVector.fromMemorySegment(S, a, ab + o, ORDER).fma(DoubleVector.fromMemorySegment(S, x, xb + o, ORDER), s0);
            s1 = DoubleVector.fromMemorySegment(S, a, ab + o + (long) ES * L, ORDER).fma(DoubleVector.fromMemorySegment(S, x, xb + o + (long) ES * L, ORDER), s1);
            s2 = DoubleVector.fromMemorySegment(S, a, ab + o + 2L * ES * L, ORDER).fma(DoubleVector.fromMemorySegment(S, x, xb + o + 2L * ES * L, ORDER), s2);
            s3 = DoubleVector.fromMemorySegment(S, a, ab + o + 3L * ES * L, ORDER).fma(DoubleVector.fromMemorySegment(S, x, xb + o + 3L * ES * L, ORDER), s3);
        }
        for (; i < n; i += L) {
            VectorMask<Double> m = S.indexInRange(i, n);
            s0 = DoubleVector.fromMemorySegment(S, a, ab + (long) ES * i, ORDER, m).fma(DoubleVector.fromMemorySegment(S, x, xb + (long) ES * i, ORDER, m), s0);
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }
}
