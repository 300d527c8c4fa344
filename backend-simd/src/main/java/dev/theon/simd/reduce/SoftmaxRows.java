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

    // Each pass is its own small method: one method holding all three is too big for C1, which then leaves it to the
    // interpreter until C2 gets to it.

    /** Lane of n float32 values at element offset xo of x into element offset oo of out. */
    public static void f32(MemorySegment x, long xo, MemorySegment out, long oo, int n, boolean log) {
        float m = (float) Runs.fold(Runs.Op.MAX, true, x, xo, 1, n, 0);
        expF(x, xo, out, oo, n, m);
        double s = Runs.fold(Runs.Op.SUM, true, out, oo, 1, n, 0);
        if (log) shiftF(x, xo, out, oo, n, m, (float) Math.log(s));  // (x - m) - log(s), in the reference's order
        else divideF(out, oo, n, (float) s);
    }

    /** Lane of n float64 values. */
    public static void f64(MemorySegment x, long xo, MemorySegment out, long oo, int n, boolean log) {
        double m = Runs.fold(Runs.Op.MAX, false, x, xo, 1, n, 0);
        expD(x, xo, out, oo, n, m);
        double s = Runs.fold(Runs.Op.SUM, false, out, oo, 1, n, 0);
        if (log) shiftD(x, xo, out, oo, n, m, Math.log(s));
        else divideD(out, oo, n, s);
    }

    /**
     * log(sum(exp(x - m))) + m of a contiguous lane, the exponentials parked in {@code scratch} (n elements at
     * element offset 0) so the sum reads them back in float64.
     */
    public static double logSumExp(MemorySegment x, long xo, int n, boolean f32, MemorySegment scratch) {
        if (f32) {
            float m = (float) Runs.fold(Runs.Op.MAX, true, x, xo, 1, n, 0);
            expF(x, xo, scratch, 0, n, m);
            return Math.log(Runs.fold(Runs.Op.SUM, true, scratch, 0, 1, n, 0)) + m;
        }
        double m = Runs.fold(Runs.Op.MAX, false, x, xo, 1, n, 0);
        expD(x, xo, scratch, 0, n, m);
        return Math.log(Runs.fold(Runs.Op.SUM, false, scratch, 0, 1, n, 0)) + m;
    }

    private static void expF(MemorySegment x, long xo, MemorySegment out, long oo, int n, float m) {
        FloatVector mv = FloatVector.broadcast(FS, m);
        int i = 0;
        for (; i <= n - FS.length(); i += FS.length())
            FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER).sub(mv).lanewise(VectorOperators.EXP).intoMemorySegment(out, (oo + i) * 4, ORDER);
        if (i < n) {
            VectorMask<Float> k = FS.indexInRange(i, n);
            FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER, k).sub(mv).lanewise(VectorOperators.EXP).intoMemorySegment(out, (oo + i) * 4, ORDER, k);
        }
    }

    private static void divideF(MemorySegment out, long oo, int n, float s) {
        FloatVector sv = FloatVector.broadcast(FS, s);
        int i = 0;
        for (; i <= n - FS.length(); i += FS.length())
            FloatVector.fromMemorySegment(FS, out, (oo + i) * 4, ORDER).div(sv).intoMemorySegment(out, (oo + i) * 4, ORDER);
        if (i < n) {
            VectorMask<Float> k = FS.indexInRange(i, n);
            FloatVector.fromMemorySegment(FS, out, (oo + i) * 4, ORDER, k).div(sv).intoMemorySegment(out, (oo + i) * 4, ORDER, k);
        }
    }

    private static void shiftF(MemorySegment x, long xo, MemorySegment out, long oo, int n, float m, float ls) {
        FloatVector mv = FloatVector.broadcast(FS, m), lv = FloatVector.broadcast(FS, ls);
        int i = 0;
        for (; i <= n - FS.length(); i += FS.length())
            FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER).sub(mv).sub(lv).intoMemorySegment(out, (oo + i) * 4, ORDER);
        if (i < n) {
            VectorMask<Float> k = FS.indexInRange(i, n);
            FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER, k).sub(mv).sub(lv).intoMemorySegment(out, (oo + i) * 4, ORDER, k);
        }
    }

    private static void expD(MemorySegment x, long xo, MemorySegment out, long oo, int n, double m) {
        DoubleVector mv = DoubleVector.broadcast(DS, m);
        int i = 0;
        for (; i <= n - DS.length(); i += DS.length())
            DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER).sub(mv).lanewise(VectorOperators.EXP).intoMemorySegment(out, (oo + i) * 8, ORDER);
        if (i < n) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER, k).sub(mv).lanewise(VectorOperators.EXP).intoMemorySegment(out, (oo + i) * 8, ORDER, k);
        }
    }

    private static void divideD(MemorySegment out, long oo, int n, double s) {
        DoubleVector sv = DoubleVector.broadcast(DS, s);
        int i = 0;
        for (; i <= n - DS.length(); i += DS.length())
            DoubleVector.fromMemorySegment(DS, out, (oo + i) * 8, ORDER).div(sv).intoMemorySegment(out, (oo + i) * 8, ORDER);
        if (i < n) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector.fromMemorySegment(DS, out, (oo + i) * 8, ORDER, k).div(sv).intoMemorySegment(out, (oo + i) * 8, ORDER, k);
        }
    }

    private static void shiftD(MemorySegment x, long xo, MemorySegment out, long oo, int n, double m, double ls) {
        DoubleVector mv = DoubleVector.broadcast(DS, m), lv = DoubleVector.broadcast(DS, ls);
        int i = 0;
        for (; i <= n - DS.length(); i += DS.length())
            DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER).sub(mv).sub(lv).intoMemorySegment(out, (oo + i) * 8, ORDER);
        if (i < n) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER, k).sub(mv).sub(lv).intoMemorySegment(out, (oo + i) * 8, ORDER, k);
        }
    }
}
