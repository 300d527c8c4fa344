package dev.theon.simd.blas;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.theon.simd.blas.Dgemm.ES;
import static dev.theon.simd.blas.Dgemm.L;
import static dev.theon.simd.blas.Dgemm.MR;
import static dev.theon.simd.blas.Dgemm.NR;
import static dev.theon.simd.blas.Dgemm.ORDER;
import static dev.theon.simd.blas.Dgemm.S;

/**
 * Packing of float64 GEMM operands into the micro-kernel's layouts, with a fast path for each way an operand can lie:
 * rows contiguous (row-major), columns contiguous (a transposed view) or neither (strided: element by element).
 */
final class DgemmPack {
    private DgemmPack() {}

    /** Eight lanes: one load covers an MR-row column piece of a column-major A. */
    private static final VectorSpecies<Double> S8 = DoubleVector.SPECIES_512;
    /** Index vectors of the 8 x 8 register transposes (of B's and of A's blocks): stage b swaps bit b of the row and of the column index. */
    private static final double[] LO1 = lo(1), HI1 = hi(1), LO2 = lo(2), HI2 = hi(2), LO4 = lo(4), HI4 = hi(4);

    private static double[] lo(int b) { double[] x = new double[8]; for (int l = 0; l < 8; l++) x[l] = (l & b) == 0 ? l : 8 + l - b; return x; }
    private static double[] hi(int b) { double[] x = new double[8]; for (int l = 0; l < 8; l++) x[l] = (l & b) == 0 ? l + b : 8 + l; return x; }

    /** Packs B[pc:pc+kc, j:j+nr] into dst[d..] as kc rows of NR values (columns past nr are zero). */
    static void packB(Mat b, int pc, int kc, int j, int nr, double[] dst, int d) {
        if (b.cs() == 1) rowsB(b, pc, kc, j, nr, dst, d);
        else if (b.rs() == 1 && L == 8) columnsB(b, pc, kc, j, nr, dst, d);
        else stridedB(b, pc, kc, j, nr, dst, d, 0, 0);
    }

    /** Rows of B contiguous: each packed row is vector copies (or a scalar copy and zeros at the right edge). */
    private static void rowsB(Mat b, int pc, int kc, int j, int nr, double[] dst, int d) {
        MemorySegment s = b.seg();
        long base = b.off() + pc * b.rs() + j;
        if (nr == NR) {
            for (int p = 0; p < kc; p++) {
                long o = (base + p * b.rs()) * ES;
                for (int v = 0; v < NR; v += L) DoubleVector.fromMemorySegment(S, s, o + (long) v * ES, ORDER).intoArray(dst, d + p * NR + v);
            }
            return;
        }
        for (int p = 0; p < kc; p++) {
            long o = base + p * b.rs();
            int q = d + p * NR;
            for (int jj = 0; jj < nr; jj++) dst[q + jj] = s.getAtIndex(ValueLayout.JAVA_DOUBLE, o + jj);
            for (int jj = nr; jj < NR; jj++) dst[q + jj] = 0;
        }
    }

    /**
     * Columns of B contiguous (B is a transposed view): 8 x 8 blocks are loaded as 8 column pieces and transposed in
     * registers by three stages of two-vector lane selects, then stored as 8 packed rows. What does not fill a block
     * (the last rows, the columns past a multiple of 8) goes element by element.
     */
    private static void columnsB(Mat b, int pc, int kc, int j, int nr, double[] dst, int d) {
        MemorySegment s = b.seg();
        long cs = b.cs(), base = b.off() + pc + (long) j * cs, st = cs * ES;
        int cols = nr / 8 * 8, rows = kc / 8 * 8;
        if (cols > 0 && rows > 0) {
            DoubleVector lo1 = DoubleVector.fromArray(S, LO1, 0), hi1 = DoubleVector.fromArray(S, HI1, 0), lo2 = DoubleVector.fromArray(S, LO2, 0), hi2 = DoubleVector.fromArray(S, HI2, 0);
            DoubleVector lo4 = DoubleVector.fromArray(S, LO4, 0), hi4 = DoubleVector.fromArray(S, HI4, 0);
            // 8 columns at a time down the whole depth: 8 read streams, which the prefetchers follow
            for (int jj = 0; jj < cols; jj += 8) {
                for (int p = 0; p < rows; p += 8) {
                    long o = (base + p + jj * cs) * ES;
                    DoubleVector v0 = DoubleVector.fromMemorySegment(S, s, o, ORDER), v1 = DoubleVector.fromMemorySegment(S, s, o + st, ORDER);
                    DoubleVector v2 = DoubleVector.fromMemorySegment(S, s, o + 2 * st, ORDER), v3 = DoubleVector.fromMemorySegment(S, s, o + 3 * st, ORDER);
                    DoubleVector v4 = DoubleVector.fromMemorySegment(S, s, o + 4 * st, ORDER), v5 = DoubleVector.fromMemorySegment(S, s, o + 5 * st, ORDER);
                    DoubleVector v6 = DoubleVector.fromMemorySegment(S, s, o + 6 * st, ORDER), v7 = DoubleVector.fromMemorySegment(S, s, o + 7 * st, ORDER);
                    DoubleVector x;
                    x = lo1.selectFrom(v0, v1); v1 = hi1.selectFrom(v0, v1); v0 = x; x = lo1.selectFrom(v2, v3); v3 = hi1.selectFrom(v2, v3); v2 = x;
                    x = lo1.selectFrom(v4, v5); v5 = hi1.selectFrom(v4, v5); v4 = x; x = lo1.selectFrom(v6, v7); v7 = hi1.selectFrom(v6, v7); v6 = x;
                    x = lo2.selectFrom(v0, v2); v2 = hi2.selectFrom(v0, v2); v0 = x; x = lo2.selectFrom(v1, v3); v3 = hi2.selectFrom(v1, v3); v1 = x;
                    x = lo2.selectFrom(v4, v6); v6 = hi2.selectFrom(v4, v6); v4 = x; x = lo2.selectFrom(v5, v7); v7 = hi2.selectFrom(v5, v7); v5 = x;
                    x = lo4.selectFrom(v0, v4); v4 = hi4.selectFrom(v0, v4); v0 = x; x = lo4.selectFrom(v1, v5); v5 = hi4.selectFrom(v1, v5); v1 = x;
                    x = lo4.selectFrom(v2, v6); v6 = hi4.selectFrom(v2, v6); v2 = x; x = lo4.selectFrom(v3, v7); v7 = hi4.selectFrom(v3, v7); v3 = x;
                    int q = d + p * NR + jj;
                    v0.intoArray(dst, q); v1.intoArray(dst, q + NR); v2.intoArray(dst, q + 2 * NR); v3.intoArray(dst, q + 3 * NR);
                    v4.intoArray(dst, q + 4 * NR); v5.intoArray(dst, q + 5 * NR); v6.intoArray(dst, q + 6 * NR); v7.intoArray(dst, q + 7 * NR);
                }
            }
        } else {
            rows = 0;
        }
        stridedB(b, pc, kc, j, nr, dst, d, cols, rows);
    }

    /**
     * The element-by-element packing, walking each column down (contiguous reads when B's columns are): every column of
     * the panel, skipping the first {@code doneRows} rows of the first {@code doneCols} columns (already packed).
     */
    private static void stridedB(Mat b, int pc, int kc, int j, int nr, double[] dst, int d, int doneCols, int doneRows) {
        MemorySegment s = b.seg();
        long rs = b.rs(), base = b.off() + pc * rs + j * b.cs();
        for (int jj = 0; jj < NR; jj++) {
            int p0 = jj < doneCols ? doneRows : 0;
            if (jj >= nr) { for (int p = p0; p < kc; p++) dst[d + p * NR + jj] = 0; continue; }
            long o = base + jj * b.cs();
            for (int p = p0; p < kc; p++) dst[d + p * NR + jj] = s.getAtIndex(ValueLayout.JAVA_DOUBLE, o + p * rs);
        }
    }

    /**
     * Packs A[i:i+mc, pc:pc+kc] into dst as panels of MR rows, each kc columns of MR values (rows past mc are zero).
     * A panel's column piece is written with one 8-lane store, which runs 8 - MR values into the next column (the
     * next store overwrites them), so dst needs that many spare values past the last panel.
     */
    static void packA(Mat a, int i, int mc, int pc, int kc, double[] dst) {
        MemorySegment s = a.seg();
        long rs = a.rs(), cs = a.cs();
        boolean lanes = L >= S8.length() && S8.length() == 8;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir), d = ir * kc;
            long o = a.off() + (i + ir) * rs + pc * cs;
            if (lanes && rs == 1 && mr == MR && i + ir + 8 <= a.rows()) columnsA(s, o, cs, kc, dst, d);
            else if (lanes && cs == 1 && mr == MR) rowsA(s, o, rs, kc, dst, d);
            else if (rs == 1) {
                for (int p = 0; p < kc; p++) {
                    long q = o + p * cs;
                    for (int r = 0; r < mr; r++) dst[d + p * MR + r] = s.getAtIndex(ValueLayout.JAVA_DOUBLE, q + r);
                    for (int r = mr; r < MR; r++) dst[d + p * MR + r] = 0;
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r >= mr) { for (int p = 0; p < kc; p++) dst[d + p * MR + r] = 0; continue; }
                    long q = o + r * rs;
                    for (int p = 0; p < kc; p++) dst[d + p * MR + r] = s.getAtIndex(ValueLayout.JAVA_DOUBLE, q + p * cs);
                }
            }
        }
    }

    /** Columns of A contiguous (a transposed view): a column piece of the panel is one 8-lane load (rows past MR are read, not kept). */
    private static void columnsA(MemorySegment s, long o, long cs, int kc, double[] dst, int d) {
        for (int p = 0; p < kc; p++) DoubleVector.fromMemorySegment(S8, s, (o + p * cs) * ES, ORDER).intoArray(dst, d + p * MR);
    }

    /**
     * Rows of A contiguous: MR x 8 blocks are loaded as MR row pieces (and two zero rows), transposed in registers by
     * three stages of two-vector lane selects, and each of the 8 columns stored with one 8-lane store.
     */
    private static void rowsA(MemorySegment s, long o, long rs, int kc, double[] dst, int d) {
        int p = 0;
        DoubleVector lo1 = DoubleVector.fromArray(S8, LO1, 0), hi1 = DoubleVector.fromArray(S8, HI1, 0), lo2 = DoubleVector.fromArray(S8, LO2, 0), hi2 = DoubleVector.fromArray(S8, HI2, 0);
        DoubleVector lo4 = DoubleVector.fromArray(S8, LO4, 0), hi4 = DoubleVector.fromArray(S8, HI4, 0), zero = DoubleVector.zero(S8);
        long st = rs * ES;
        for (; p + 8 <= kc; p += 8) {
            long q = (o + p) * ES;
            DoubleVector v0 = DoubleVector.fromMemorySegment(S8, s, q, ORDER), v1 = DoubleVector.fromMemorySegment(S8, s, q + st, ORDER);
            DoubleVector v2 = DoubleVector.fromMemorySegment(S8, s, q + 2 * st, ORDER), v3 = DoubleVector.fromMemorySegment(S8, s, q + 3 * st, ORDER);
            DoubleVector v4 = DoubleVector.fromMemorySegment(S8, s, q + 4 * st, ORDER), v5 = DoubleVector.fromMemorySegment(S8, s, q + 5 * st, ORDER);
            DoubleVector v6 = zero, v7 = zero, x;
            x = lo1.selectFrom(v0, v1); v1 = hi1.selectFrom(v0, v1); v0 = x; x = lo1.selectFrom(v2, v3); v3 = hi1.selectFrom(v2, v3); v2 = x;
            x = lo1.selectFrom(v4, v5); v5 = hi1.selectFrom(v4, v5); v4 = x; x = lo1.selectFrom(v6, v7); v7 = hi1.selectFrom(v6, v7); v6 = x;
            x = lo2.selectFrom(v0, v2); v2 = hi2.selectFrom(v0, v2); v0 = x; x = lo2.selectFrom(v1, v3); v3 = hi2.selectFrom(v1, v3); v1 = x;
            x = lo2.selectFrom(v4, v6); v6 = hi2.selectFrom(v4, v6); v4 = x; x = lo2.selectFrom(v5, v7); v7 = hi2.selectFrom(v5, v7); v5 = x;
            x = lo4.selectFrom(v0, v4); v4 = hi4.selectFrom(v0, v4); v0 = x; x = lo4.selectFrom(v1, v5); v5 = hi4.selectFrom(v1, v5); v1 = x;
            x = lo4.selectFrom(v2, v6); v6 = hi4.selectFrom(v2, v6); v2 = x; x = lo4.selectFrom(v3, v7); v7 = hi4.selectFrom(v3, v7); v3 = x;
            int w = d + p * MR;
            v0.intoArray(dst, w); v1.intoArray(dst, w + MR); v2.intoArray(dst, w + 2 * MR); v3.intoArray(dst, w + 3 * MR);
            v4.intoArray(dst, w + 4 * MR); v5.intoArray(dst, w + 5 * MR); v6.intoArray(dst, w + 6 * MR); v7.intoArray(dst, w + 7 * MR);
        }
        for (; p < kc; p++) for (int r = 0; r < MR; r++) dst[d + p * MR + r] = s.getAtIndex(ValueLayout.JAVA_DOUBLE, o + r * rs + p);
    }
}
