package dev.theon.simd.blas;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.theon.simd.blas.Sgemm.ES;
import static dev.theon.simd.blas.Sgemm.L;
import static dev.theon.simd.blas.Sgemm.MR;
import static dev.theon.simd.blas.Sgemm.NR;
import static dev.theon.simd.blas.Sgemm.ORDER;
import static dev.theon.simd.blas.Sgemm.S;

/**
 * Packing of float32 GEMM operands into the micro-kernel's layouts, with a fast path for each way an operand can lie:
 * rows contiguous (row-major), columns contiguous (a transposed view) or neither (strided: element by element).
 */
final class SgemmPack {
    private SgemmPack() {}

    /** Eight lanes: one load covers an MR-row column piece of a column-major A. */
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    /** Index vectors of the 16 x 16 register transpose: stage b swaps bit b of the row and of the column index. */
    private static final float[] LO1 = lo(1), HI1 = hi(1), LO2 = lo(2), HI2 = hi(2), LO4 = lo(4), HI4 = hi(4), LO8 = lo(8), HI8 = hi(8);

    /** The same for the 8 x 8 transpose of row-major A blocks. */
    private static final float[] LO1_8 = lo(1, 8), HI1_8 = hi(1, 8), LO2_8 = lo(2, 8), HI2_8 = hi(2, 8), LO4_8 = lo(4, 8), HI4_8 = hi(4, 8);

    private static float[] lo(int b) { return lo(b, 16); }
    private static float[] hi(int b) { return hi(b, 16); }
    /** Lane l of the first result of a stage: from the first vector where bit b of l is clear, else the second's lane l - b. */
    private static float[] lo(int b, int n) { float[] x = new float[n]; for (int l = 0; l < n; l++) x[l] = (l & b) == 0 ? l : n + l - b; return x; }
    /** Lane l of the second result: the first vector's lane l + b where bit b of l is clear, else the second's lane l. */
    private static float[] hi(int b, int n) { float[] x = new float[n]; for (int l = 0; l < n; l++) x[l] = (l & b) == 0 ? l + b : n + l; return x; }

    /** Packs B[pc:pc+kc, j:j+nr] into dst[d..] as kc rows of NR floats (columns past nr are zero). */
    static void packB(Mat b, int pc, int kc, int j, int nr, float[] dst, int d) {
        if (b.cs() == 1) rowsB(b, pc, kc, j, nr, dst, d);
        else if (b.rs() == 1 && L == 16) columnsB(b, pc, kc, j, nr, dst, d);
        else stridedB(b, pc, kc, j, nr, dst, d, 0, 0);
    }

    /** Rows of B contiguous: each packed row is vector copies (or a scalar copy and zeros at the right edge). */
    private static void rowsB(Mat b, int pc, int kc, int j, int nr, float[] dst, int d) {
        MemorySegment s = b.seg();
        long base = b.off() + pc * b.rs() + j;
        if (nr == NR) {
            for (int p = 0; p < kc; p++) {
                long o = (base + p * b.rs()) * ES;
                for (int v = 0; v < NR; v += L) FloatVector.fromMemorySegment(S, s, o + (long) v * ES, ORDER).intoArray(dst, d + p * NR + v);
            }
            return;
        }
        for (int p = 0; p < kc; p++) {
            long o = base + p * b.rs();
            int q = d + p * NR;
            for (int jj = 0; jj < nr; jj++) dst[q + jj] = s.getAtIndex(ValueLayout.JAVA_FLOAT, o + jj);
            for (int jj = nr; jj < NR; jj++) dst[q + jj] = 0;
        }
    }

    /**
     * Columns of B contiguous (B is a transposed view): 16 x 16 blocks are loaded as 16 column pieces and transposed
     * in registers by four stages of two-vector lane selects, then stored as 16 packed rows. What does not fill a
     * block (the last rows, the columns past a multiple of 16) goes element by element.
     */
    private static void columnsB(Mat b, int pc, int kc, int j, int nr, float[] dst, int d) {
        MemorySegment s = b.seg();
        long cs = b.cs(), base = b.off() + pc + (long) j * cs, st = cs * ES;
        int cols = nr / 16 * 16, rows = kc / 16 * 16;
        if (cols > 0 && rows > 0) {
            FloatVector lo1 = FloatVector.fromArray(S, LO1, 0), hi1 = FloatVector.fromArray(S, HI1, 0), lo2 = FloatVector.fromArray(S, LO2, 0), hi2 = FloatVector.fromArray(S, HI2, 0);
            FloatVector lo4 = FloatVector.fromArray(S, LO4, 0), hi4 = FloatVector.fromArray(S, HI4, 0), lo8 = FloatVector.fromArray(S, LO8, 0), hi8 = FloatVector.fromArray(S, HI8, 0);
            // 16 columns at a time down the whole depth: 16 read streams, which the prefetchers follow
            for (int jj = 0; jj < cols; jj += 16) {
                for (int p = 0; p < rows; p += 16) {
                    long o = (base + p + jj * cs) * ES;
                    FloatVector v0 = FloatVector.fromMemorySegment(S, s, o, ORDER), v1 = FloatVector.fromMemorySegment(S, s, o + st, ORDER);
                    FloatVector v2 = FloatVector.fromMemorySegment(S, s, o + 2 * st, ORDER), v3 = FloatVector.fromMemorySegment(S, s, o + 3 * st, ORDER);
                    FloatVector v4 = FloatVector.fromMemorySegment(S, s, o + 4 * st, ORDER), v5 = FloatVector.fromMemorySegment(S, s, o + 5 * st, ORDER);
                    FloatVector v6 = FloatVector.fromMemorySegment(S, s, o + 6 * st, ORDER), v7 = FloatVector.fromMemorySegment(S, s, o + 7 * st, ORDER);
                    FloatVector v8 = FloatVector.fromMemorySegment(S, s, o + 8 * st, ORDER), v9 = FloatVector.fromMemorySegment(S, s, o + 9 * st, ORDER);
                    FloatVector v10 = FloatVector.fromMemorySegment(S, s, o + 10 * st, ORDER), v11 = FloatVector.fromMemorySegment(S, s, o + 11 * st, ORDER);
                    FloatVector v12 = FloatVector.fromMemorySegment(S, s, o + 12 * st, ORDER), v13 = FloatVector.fromMemorySegment(S, s, o + 13 * st, ORDER);
                    FloatVector v14 = FloatVector.fromMemorySegment(S, s, o + 14 * st, ORDER), v15 = FloatVector.fromMemorySegment(S, s, o + 15 * st, ORDER);
                    FloatVector x;
                    x = lo1.selectFrom(v0, v1); v1 = hi1.selectFrom(v0, v1); v0 = x; x = lo1.selectFrom(v2, v3); v3 = hi1.selectFrom(v2, v3); v2 = x;
                    x = lo1.selectFrom(v4, v5); v5 = hi1.selectFrom(v4, v5); v4 = x; x = lo1.selectFrom(v6, v7); v7 = hi1.selectFrom(v6, v7); v6 = x;
                    x = lo1.selectFrom(v8, v9); v9 = hi1.selectFrom(v8, v9); v8 = x; x = lo1.selectFrom(v10, v11); v11 = hi1.selectFrom(v10, v11); v10 = x;
                    x = lo1.selectFrom(v12, v13); v13 = hi1.selectFrom(v12, v13); v12 = x; x = lo1.selectFrom(v14, v15); v15 = hi1.selectFrom(v14, v15); v14 = x;
                    x = lo2.selectFrom(v0, v2); v2 = hi2.selectFrom(v0, v2); v0 = x; x = lo2.selectFrom(v1, v3); v3 = hi2.selectFrom(v1, v3); v1 = x;
                    x = lo2.selectFrom(v4, v6); v6 = hi2.selectFrom(v4, v6); v4 = x; x = lo2.selectFrom(v5, v7); v7 = hi2.selectFrom(v5, v7); v5 = x;
                    x = lo2.selectFrom(v8, v10); v10 = hi2.selectFrom(v8, v10); v8 = x; x = lo2.selectFrom(v9, v11); v11 = hi2.selectFrom(v9, v11); v9 = x;
                    x = lo2.selectFrom(v12, v14); v14 = hi2.selectFrom(v12, v14); v12 = x; x = lo2.selectFrom(v13, v15); v15 = hi2.selectFrom(v13, v15); v13 = x;
                    x = lo4.selectFrom(v0, v4); v4 = hi4.selectFrom(v0, v4); v0 = x; x = lo4.selectFrom(v1, v5); v5 = hi4.selectFrom(v1, v5); v1 = x;
                    x = lo4.selectFrom(v2, v6); v6 = hi4.selectFrom(v2, v6); v2 = x; x = lo4.selectFrom(v3, v7); v7 = hi4.selectFrom(v3, v7); v3 = x;
                    x = lo4.selectFrom(v8, v12); v12 = hi4.selectFrom(v8, v12); v8 = x; x = lo4.selectFrom(v9, v13); v13 = hi4.selectFrom(v9, v13); v9 = x;
                    x = lo4.selectFrom(v10, v14); v14 = hi4.selectFrom(v10, v14); v10 = x; x = lo4.selectFrom(v11, v15); v15 = hi4.selectFrom(v11, v15); v11 = x;
                    x = lo8.selectFrom(v0, v8); v8 = hi8.selectFrom(v0, v8); v0 = x; x = lo8.selectFrom(v1, v9); v9 = hi8.selectFrom(v1, v9); v1 = x;
                    x = lo8.selectFrom(v2, v10); v10 = hi8.selectFrom(v2, v10); v2 = x; x = lo8.selectFrom(v3, v11); v11 = hi8.selectFrom(v3, v11); v3 = x;
                    x = lo8.selectFrom(v4, v12); v12 = hi8.selectFrom(v4, v12); v4 = x; x = lo8.selectFrom(v5, v13); v13 = hi8.selectFrom(v5, v13); v5 = x;
                    x = lo8.selectFrom(v6, v14); v14 = hi8.selectFrom(v6, v14); v6 = x; x = lo8.selectFrom(v7, v15); v15 = hi8.selectFrom(v7, v15); v7 = x;
                    int q = d + p * NR + jj;
                    v0.intoArray(dst, q); v1.intoArray(dst, q + NR); v2.intoArray(dst, q + 2 * NR); v3.intoArray(dst, q + 3 * NR);
                    v4.intoArray(dst, q + 4 * NR); v5.intoArray(dst, q + 5 * NR); v6.intoArray(dst, q + 6 * NR); v7.intoArray(dst, q + 7 * NR);
                    v8.intoArray(dst, q + 8 * NR); v9.intoArray(dst, q + 9 * NR); v10.intoArray(dst, q + 10 * NR); v11.intoArray(dst, q + 11 * NR);
                    v12.intoArray(dst, q + 12 * NR); v13.intoArray(dst, q + 13 * NR); v14.intoArray(dst, q + 14 * NR); v15.intoArray(dst, q + 15 * NR);
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
    private static void stridedB(Mat b, int pc, int kc, int j, int nr, float[] dst, int d, int doneCols, int doneRows) {
        MemorySegment s = b.seg();
        long rs = b.rs(), base = b.off() + pc * rs + j * b.cs();
        for (int jj = 0; jj < NR; jj++) {
            int p0 = jj < doneCols ? doneRows : 0;
            if (jj >= nr) { for (int p = p0; p < kc; p++) dst[d + p * NR + jj] = 0; continue; }
            long o = base + jj * b.cs();
            for (int p = p0; p < kc; p++) dst[d + p * NR + jj] = s.getAtIndex(ValueLayout.JAVA_FLOAT, o + p * rs);
        }
    }

    /**
     * Packs A[i:i+mc, pc:pc+kc] into dst as panels of MR rows, each kc columns of MR floats (rows past mc are zero).
     * A panel's column piece is written with one 8-lane store, which runs 8 - MR floats into the next column (the
     * next store overwrites them), so dst needs that many spare floats past the last panel.
     */
    static void packA(Mat a, int i, int mc, int pc, int kc, float[] dst) {
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
                    for (int r = 0; r < mr; r++) dst[d + p * MR + r] = s.getAtIndex(ValueLayout.JAVA_FLOAT, q + r);
                    for (int r = mr; r < MR; r++) dst[d + p * MR + r] = 0;
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r >= mr) { for (int p = 0; p < kc; p++) dst[d + p * MR + r] = 0; continue; }
                    long q = o + r * rs;
                    for (int p = 0; p < kc; p++) dst[d + p * MR + r] = s.getAtIndex(ValueLayout.JAVA_FLOAT, q + p * cs);
                }
            }
        }
    }

    /** Columns of A contiguous (a transposed view): a column piece of the panel is one 8-lane load (rows past MR are read, not kept). */
    private static void columnsA(MemorySegment s, long o, long cs, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++) FloatVector.fromMemorySegment(S8, s, (o + p * cs) * ES, ORDER).intoArray(dst, d + p * MR);
    }

    /**
     * Rows of A contiguous: MR x 8 blocks are loaded as MR row pieces (and two zero rows), transposed in registers by
     * three stages of two-vector lane selects, and each of the 8 columns stored with one 8-lane store.
     */
    private static void rowsA(MemorySegment s, long o, long rs, int kc, float[] dst, int d) {
        int p = 0;
        FloatVector lo1 = FloatVector.fromArray(S8, LO1_8, 0), hi1 = FloatVector.fromArray(S8, HI1_8, 0), lo2 = FloatVector.fromArray(S8, LO2_8, 0), hi2 = FloatVector.fromArray(S8, HI2_8, 0);
        FloatVector lo4 = FloatVector.fromArray(S8, LO4_8, 0), hi4 = FloatVector.fromArray(S8, HI4_8, 0), zero = FloatVector.zero(S8);
        long st = rs * ES;
        for (; p + 8 <= kc; p += 8) {
            long q = (o + p) * ES;
            FloatVector v0 = FloatVector.fromMemorySegment(S8, s, q, ORDER), v1 = FloatVector.fromMemorySegment(S8, s, q + st, ORDER);
            FloatVector v2 = FloatVector.fromMemorySegment(S8, s, q + 2 * st, ORDER), v3 = FloatVector.fromMemorySegment(S8, s, q + 3 * st, ORDER);
            FloatVector v4 = FloatVector.fromMemorySegment(S8, s, q + 4 * st, ORDER), v5 = FloatVector.fromMemorySegment(S8, s, q + 5 * st, ORDER);
            FloatVector v6 = zero, v7 = zero, x;
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
        for (; p < kc; p++) for (int r = 0; r < MR; r++) dst[d + p * MR + r] = s.getAtIndex(ValueLayout.JAVA_FLOAT, o + r * rs + p);
    }
}
