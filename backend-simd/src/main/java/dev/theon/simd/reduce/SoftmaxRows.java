package dev.theon.simd.reduce;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Softmax and log-softmax of one contiguous lane: m = max, s = sum(exp(x - m)) accumulated in float64, then
 * exp(x - m) / s or x - m - log(s). exp runs on vectors in the lane's own precision; the exponentials are parked
 * in the output between the passes, so the sum reads them back in float64 without computing them twice. A float32
 * lane subtracts the max in float32, as numpy and torch do: for lanes whose values span more than 8, that rounding
 * (up to 2^-21 in the exponent) puts results up to ~10 ulps from the float64 reference.
 */
public final class SoftmaxRows {
    private SoftmaxRows() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Lane of n float32 values at element offset xo of x into element offset oo of out. */
    public static void f32(MemorySegment x, long xo, MemorySegment out, long oo, int n, boolean log) {
        float m = maxF(x, xo, n);
        long xb = xo * 4, ob = oo * 4;
        FloatVector mv = FloatVector.broadcast(FS, m);
        int L = FS.length(), i = 0;
        for (; i <= n - L; i += L)
            FloatVector.fromMemorySegment(FS, x, xb + 4L * i, ORDER).sub(mv).lanewise(VectorOperators.EXP).intoMemorySegment(out, ob + 4L * i, ORDER);
        if (i < n) {
            VectorMask<Float> k = FS.indexInRange(i, n);
            FloatVector.fromMemorySegment(FS, x, xb + 4L * i, ORDER, k).sub(mv).lanewise(VectorOperators.EXP).intoMemorySegment(out, ob + 4L * i, ORDER, k);
        }
        double s = Runs.fold(Runs.Op.SUM, true, out, oo, 1, n, 0);
        if (log) {
            // x - m - log(s) in the order the reference subtracts
            FloatVector ls = FloatVector.broadcast(FS, (float) Math.log(s));
            for (i = 0; i <= n - L; i += L)
                FloatVector.fromMemorySegment(FS, x, xb + 4L * i, ORDER).sub(mv).sub(ls).intoMemorySegment(out, ob + 4L * i, ORDER);
            if (i < n) {
                VectorMask<Float> k = FS.indexInRange(i, n);
                FloatVector.fromMemorySegment(FS, x, xb + 4L * i, ORDER, k).sub(mv).sub(ls).intoMemorySegment(out, ob + 4L * i, ORDER, k);
            }
            return;
        }
        FloatVector sv = FloatVector.broadcast(FS, (float) s);
        for (i = 0; i <= n - L; i += L)
            FloatVector.fromMemorySegment(FS, out, ob + 4L * i, ORDER).div(sv).intoMemorySegment(out, ob + 4L * i, ORDER);
        if (i < n) {
            VectorMask<Float> k = FS.indexInRange(i, n);
            FloatVector.fromMemorySegment(FS, out, ob + 4L * i, ORDER, k).div(sv).intoMemorySegment(out, ob + 4L * i, ORDER, k);
        }
    }

    /** Lane of n float64 values. */
    public static void f64(MemorySegment x, long xo, MemorySegment out, long oo, int n, boolean log) {
        double m = Runs.fold(Runs.Op.MAX, false, x, xo, 1, n, 0);
        long xb = xo * 8, ob = oo * 8;
        DoubleVector mv = DoubleVector.broadcast(DS, m);
        int L = DS.length(), i = 0;
        for (; i <= n - L; i += L)
            DoubleVector.fromMemorySegment(DS, x, xb + 8L * i, ORDER).sub(mv).lanewise(VectorOperators.EXP).intoMemorySegment(out, ob + 8L * i, ORDER);
        if (i < n) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector.fromMemorySegment(DS, x, xb + 8L * i, ORDER, k).sub(mv).lanewise(VectorOperators.EXP).intoMemorySegment(out, ob + 8L * i, ORDER, k);
        }
        double s = Runs.fold(Runs.Op.SUM, false, out, oo, 1, n, 0);
        DoubleVector sv = DoubleVector.broadcast(DS, log ? Math.log(s) : s);
        for (i = 0; i <= n - L; i += L) {
            DoubleVector v = log ? DoubleVector.fromMemorySegment(DS, x, xb + 8L * i, ORDER).sub(mv).sub(sv)
                                 : DoubleVector.fromMemorySegment(DS, out, ob + 8L * i, ORDER).div(sv);
            v.intoMemorySegment(out, ob + 8L * i, ORDER);
        }
        if (i < n) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector v = log ? DoubleVector.fromMemorySegment(DS, x, xb + 8L * i, ORDER, k).sub(mv).sub(sv)
                                 : DoubleVector.fromMemorySegment(DS, out, ob + 8L * i, ORDER, k).div(sv);
            v.intoMemorySegment(out, ob + 8L * i, ORDER, k);
        }
    }

    private static float maxF(MemorySegment x, long xo, int n) {
        return (float) Runs.fold(Runs.Op.MAX, true, x, xo, 1, n, 0);
    }
}
