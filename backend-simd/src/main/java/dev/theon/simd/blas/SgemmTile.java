package dev.theon.simd.blas;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.theon.simd.blas.Sgemm.ES;
import static dev.theon.simd.blas.Sgemm.L;
import static dev.theon.simd.blas.Sgemm.MR;
import static dev.theon.simd.blas.Sgemm.NR;
import static dev.theon.simd.blas.Sgemm.ORDER;
import static dev.theon.simd.blas.Sgemm.S;

/** The float32 micro-kernel (a 6 x 64 tile of the product over one K block) and the writing of a tile into D. */
final class SgemmTile {
    private SgemmTile() {}

    /**
     * The 6 x NR micro-kernel: the tile Apanel (6 x kc) * Bpanel (kc x NR), accumulated in 24 registers, goes to
     * D(i:i+mr, j:j+nr) through {@link #flush}.
     */
    static void kernel(float[] a, int ao, float[] b, int bo, int kc, Target t, int i, int j, int mr, int nr, boolean first, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        // indices as functions of p, so C2 can hoist the range checks out of the loop
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR, ai = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L), b3 = FloatVector.fromArray(S, b, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        // the accumulators go to the tile array, not to a helper: a vector that escapes into a call C2 does not
        // inline is boxed (and the boxing reaches back into the loop), and writing D here as well makes the method
        // too big for C1, which then leaves it to the interpreter until C2 compiles it
        c00.intoArray(tile, 0 * NR + 0 * L);
        c01.intoArray(tile, 0 * NR + 1 * L);
        c02.intoArray(tile, 0 * NR + 2 * L);
        c03.intoArray(tile, 0 * NR + 3 * L);
        c10.intoArray(tile, 1 * NR + 0 * L);
        c11.intoArray(tile, 1 * NR + 1 * L);
        c12.intoArray(tile, 1 * NR + 2 * L);
        c13.intoArray(tile, 1 * NR + 3 * L);
        c20.intoArray(tile, 2 * NR + 0 * L);
        c21.intoArray(tile, 2 * NR + 1 * L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR + 0 * L);
        c31.intoArray(tile, 3 * NR + 1 * L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR + 0 * L);
        c41.intoArray(tile, 4 * NR + 1 * L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR + 0 * L);
        c51.intoArray(tile, 5 * NR + 1 * L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c53.intoArray(tile, 5 * NR + 3 * L);
        flush(tile, t, i, j, mr, nr, first);
    }

    /**
     * Writes the first mr rows and nr columns of the tile into D at (i, j): {@code alpha * tile + beta * C} for the
     * first K block ({@code alpha * tile} without C), {@code alpha * tile + D} for the later ones.
     */
    static void flush(float[] tl, Target t, int i, int j, int mr, int nr, boolean first) {
        MemorySegment d = t.d(), c = first ? t.c() : null;
        long drs = t.drs(), dcs = t.dcs(), crs = t.crs(), ccs = t.ccs();
        long dBase = t.doff() + i * drs + j * dcs, cBase = t.coff() + i * crs + j * ccs;
        float alpha = (float) t.alpha(), beta = (float) t.beta();
        if (dcs != 1 || (c != null && ccs != 1 && ccs != 0)) {
            for (int r = 0; r < mr; r++) for (int jj = 0; jj < nr; jj++) {
                long at = dBase + r * drs + jj * dcs;
                float add = !first ? d.getAtIndex(ValueLayout.JAVA_FLOAT, at) : c != null ? beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, cBase + r * crs + jj * ccs) : 0f;
                d.setAtIndex(ValueLayout.JAVA_FLOAT, at, Math.fma(alpha, tl[r * NR + jj], add));
            }
            return;
        }
        // what is added to alpha * tile: nothing (plain store or scaling), D (a later K block), beta * C by vectors, or
        // beta * C broadcast along the row (ccs 0: a bias column, one value per row)
        int mode = !first ? ADD_D : c == null ? (alpha == 1 ? STORE : SCALE) : ccs == 1 ? ADD_C : ADD_C_ROW;
        FloatVector av = FloatVector.broadcast(S, alpha), bv = FloatVector.broadcast(S, beta);
        for (int r = 0; r < mr; r++) {
            long o = (dBase + r * drs) * ES, co = (cBase + r * crs) * ES;
            FloatVector cr = FloatVector.broadcast(S, mode == ADD_C_ROW ? beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, cBase + r * crs) : 0f);
            int jj = 0;
            for (; jj + L <= nr; jj += L) {
                long at = o + (long) jj * ES;
                FloatVector v = FloatVector.fromArray(S, tl, r * NR + jj);
                if (mode == ADD_D) v = v.fma(av, FloatVector.fromMemorySegment(S, d, at, ORDER));
                else if (mode == ADD_C) v = v.fma(av, FloatVector.fromMemorySegment(S, c, co + (long) jj * ES, ORDER).mul(bv));
                else if (mode == ADD_C_ROW) v = v.fma(av, cr);
                else if (mode == SCALE) v = v.mul(av);
                v.intoMemorySegment(d, at, ORDER);
            }
            if (jj < nr) {
                long at = o + (long) jj * ES;
                VectorMask<Float> m = S.indexInRange(jj, nr);
                FloatVector v = FloatVector.fromArray(S, tl, r * NR + jj, m);
                if (mode == ADD_D) v = v.fma(av, FloatVector.fromMemorySegment(S, d, at, ORDER, m));
                else if (mode == ADD_C) v = v.fma(av, FloatVector.fromMemorySegment(S, c, co + (long) jj * ES, ORDER, m).mul(bv));
                else if (mode == ADD_C_ROW) v = v.fma(av, cr);
                else if (mode == SCALE) v = v.mul(av);
                v.intoMemorySegment(d, at, ORDER, m);
            }
        }
    }

    private static final int STORE = 0, SCALE = 1, ADD_D = 2, ADD_C = 3, ADD_C_ROW = 4;
}
