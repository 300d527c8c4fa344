package dev.theon.simd.reduce;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Softmax and log-softmax of one contiguous lane: m = max, then one fused pass computes e = exp(x - m) on vectors,
 * stores it in the output and sums it, then one more pass either scales the output by 1/s or writes x - m - log(s).
 * exp runs on vectors in the lane's own precision (the Vector API's EXP, an intrinsic). A float32 lane subtracts the
 * max in float32, as numpy and torch do: for lanes whose values span more than 8, that rounding (up to 2^-21 in the
 * exponent) puts results up to ~10 ulps from the float64 reference.
 * <p>
 * A float32 lane's exponentials are summed as {@link FloatRuns#sum} sums, in float32 trees whose results go into
 * float64: trees of 4 vectors (2 roundings), at most 4 trees per float32 accumulator (3 more), so s is within gamma_5
 * (about 5 * 2^-24, relative: the terms are positive) of the exact sum of the rounded exponentials. A float64 lane
 * sums in float64 vectors. Scaling multiplies by 1/s rounded once to the lane's dtype (as torch does) instead of
 * dividing: a vector division costs several multiplications, for at most one more rounding.
 */
public final class SoftmaxRows {
    private SoftmaxRows() {}

    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int FL = FS.length(), DL = DS.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    // Each pass is its own small method that hands no vector to another (a vector crossing a method that C2 does not
    // inline is boxed; one method holding every pass is too big for C1, which leaves it to the interpreter until C2
    // gets to it). A float32 lane's last partial vector is the full vector ending at the lane's end, where the lane
    // is that long: a masked access that reaches past the end of its segment leaves the intrinsic.

    /** Lane of n float32 values at element offset xo of x into element offset oo of out. */
    public static void f32(MemorySegment x, long xo, MemorySegment out, long oo, int n, boolean log) {
        float m = maxF(x, xo, n);
        double s = expSumF(x, xo, out, oo, n, m);
        if (log) shiftF(x, xo, out, oo, n, m, (float) Math.log(s));  // (x - m) - log(s), in the reference's order
        else scaleF(out, oo, n, (float) (1 / s));
    }

    /** Lane of n float64 values. */
    public static void f64(MemorySegment x, long xo, MemorySegment out, long oo, int n, boolean log) {
        double m = Runs.fold(Runs.Op.MAX, false, x, xo, 1, n, 0);
        double s = expSumD(x, xo, out, oo, n, m);
        if (log) shiftD(x, xo, out, oo, n, m, Math.log(s));
        else scaleD(out, oo, n, 1 / s);
    }

    /**
     * log(sum(exp(x - m))) + m of a contiguous lane, the exponentials written to {@code scratch} (n elements at
     * element offset 0) on the way.
     */
    public static double logSumExp(MemorySegment x, long xo, int n, boolean f32, MemorySegment scratch) {
        if (f32) {
            float m = maxF(x, xo, n);
            return Math.log(expSumF(x, xo, scratch, 0, n, m)) + m;
        }
        double m = Runs.fold(Runs.Op.MAX, false, x, xo, 1, n, 0);
        return Math.log(expSumD(x, xo, scratch, 0, n, m)) + m;
    }

    /**
     * The max of a float32 lane, or of its values that are not NaN: a NaN anywhere makes every exp(x - m), the sum
     * and so every result NaN whatever m is, as the reference's NaN max does; -0 and +0 give the same x - m. A lane
     * without NaN gets its exact max. Compare-and-blend costs 2 instructions a vector where Java's max (NaN- and
     * signed-zero-aware) costs about 5.
     */
    static float maxF(MemorySegment x, long xo, int n) {
        if (n < FL) return FloatRuns.maxMin(x, xo, n, true);
        FloatVector a0 = FloatVector.fromMemorySegment(FS, x, xo * 4, ORDER), a1 = a0;
        int i = 0;
        for (; n - i >= 2 * FL; i += 2 * FL) {
            FloatVector v0 = FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER);
            FloatVector v1 = FloatVector.fromMemorySegment(FS, x, (xo + i + FL) * 4, ORDER);
            a0 = a0.blend(v0, v0.compare(VectorOperators.GT, a0));
            a1 = a1.blend(v1, v1.compare(VectorOperators.GT, a1));
        }
        // the rest: the vector ending at n covers it (lanes seen twice do not change a max)
        FloatVector v = FloatVector.fromMemorySegment(FS, x, (xo + n - FL) * 4, ORDER);
        a0 = a0.blend(v, v.compare(VectorOperators.GT, a0));
        return a0.blend(a1, a1.compare(VectorOperators.GT, a0)).reduceLanes(VectorOperators.MAX);
    }

    /** Writes exp(x - m) to out and returns its sum (float32 trees into float64, as the class doc says). */
    static double expSumF(MemorySegment x, long xo, MemorySegment out, long oo, int n, float m) {
        if (n < FL) return expSumNarrowF(x, xo, out, oo, n, m);
        int head = n - n % (4 * FL);
        double s = head > 0 ? expGroupsF(x, xo, out, oo, head, m) : 0;
        return head == n ? s : s + expRestF(x, xo, out, oo, head, n, m);
    }

    /** Elements [0, n), n a multiple of 4 vectors: trees of 4 exponentials, 4 trees per float32 accumulator. */
    private static double expGroupsF(MemorySegment x, long xo, MemorySegment out, long oo, int n, float m) {
        FloatVector mv = FloatVector.broadcast(FS, m), acc = FloatVector.zero(FS);
        DoubleVector total = DoubleVector.zero(DS);
        int trees = 0;
        for (int i = 0; i < n; i += 4 * FL) {
            long xb = (xo + i) * 4, ob = (oo + i) * 4;
            FloatVector e0 = FloatVector.fromMemorySegment(FS, x, xb, ORDER).sub(mv).lanewise(VectorOperators.EXP);
            FloatVector e1 = FloatVector.fromMemorySegment(FS, x, xb + 4 * FL, ORDER).sub(mv).lanewise(VectorOperators.EXP);
            FloatVector e2 = FloatVector.fromMemorySegment(FS, x, xb + 8 * FL, ORDER).sub(mv).lanewise(VectorOperators.EXP);
            FloatVector e3 = FloatVector.fromMemorySegment(FS, x, xb + 12 * FL, ORDER).sub(mv).lanewise(VectorOperators.EXP);
            e0.intoMemorySegment(out, ob, ORDER);
            e1.intoMemorySegment(out, ob + 4 * FL, ORDER);
            e2.intoMemorySegment(out, ob + 8 * FL, ORDER);
            e3.intoMemorySegment(out, ob + 12 * FL, ORDER);
            acc = acc.add(e0.add(e1).add(e2.add(e3)));
            if (++trees == 4) { total = total.add(FloatRuns.widen(acc)); acc = FloatVector.zero(FS); trees = 0; }
        }
        return total.add(FloatRuns.widen(acc)).reduceLanes(VectorOperators.ADD);
    }

    /** Elements [from, n), fewer than 4 vectors, n ≥ FL: whole vectors, then the new lanes of the vector ending at n. */
    private static double expRestF(MemorySegment x, long xo, MemorySegment out, long oo, int from, int n, float m) {
        FloatVector mv = FloatVector.broadcast(FS, m), acc = FloatVector.zero(FS);
        int i = from;
        for (; n - i >= FL; i += FL) {
            FloatVector e = FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER).sub(mv).lanewise(VectorOperators.EXP);
            e.intoMemorySegment(out, (oo + i) * 4, ORDER);
            acc = acc.add(e);
        }
        if (i < n) {
            // writes the lanes it shares with the previous vector again, with the same values
            FloatVector e = FloatVector.fromMemorySegment(FS, x, (xo + n - FL) * 4, ORDER).sub(mv).lanewise(VectorOperators.EXP);
            e.intoMemorySegment(out, (oo + n - FL) * 4, ORDER);
            acc = acc.add(e, FS.indexInRange(0, FL - (n - i)).not());
        }
        return FloatRuns.widen(acc).reduceLanes(VectorOperators.ADD);
    }

    /** A lane shorter than one vector: masked. */
    private static double expSumNarrowF(MemorySegment x, long xo, MemorySegment out, long oo, int n, float m) {
        VectorMask<Float> k = FS.indexInRange(0, n);
        FloatVector e = FloatVector.fromMemorySegment(FS, x, xo * 4, ORDER, k).sub(m).lanewise(VectorOperators.EXP);
        e.intoMemorySegment(out, oo * 4, ORDER, k);
        return FloatRuns.widen(FloatVector.zero(FS).add(e, k)).reduceLanes(VectorOperators.ADD);
    }

    private static void scaleF(MemorySegment out, long oo, int n, float r) {
        FloatVector rv = FloatVector.broadcast(FS, r);
        int i = 0;
        for (; n - i >= FL; i += FL)
            FloatVector.fromMemorySegment(FS, out, (oo + i) * 4, ORDER).mul(rv).intoMemorySegment(out, (oo + i) * 4, ORDER);
        if (i == n) return;
        if (n >= FL) {  // the vector ending at n, scaling only the lanes not scaled yet
            FloatVector v = FloatVector.fromMemorySegment(FS, out, (oo + n - FL) * 4, ORDER);
            v.blend(v.mul(rv), FS.indexInRange(0, FL - (n - i)).not()).intoMemorySegment(out, (oo + n - FL) * 4, ORDER);
        } else {
            VectorMask<Float> k = FS.indexInRange(0, n);
            FloatVector.fromMemorySegment(FS, out, oo * 4, ORDER, k).mul(rv).intoMemorySegment(out, oo * 4, ORDER, k);
        }
    }

    private static void shiftF(MemorySegment x, long xo, MemorySegment out, long oo, int n, float m, float ls) {
        FloatVector mv = FloatVector.broadcast(FS, m), lv = FloatVector.broadcast(FS, ls);
        int i = 0;
        for (; n - i >= FL; i += FL)
            FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER).sub(mv).sub(lv).intoMemorySegment(out, (oo + i) * 4, ORDER);
        if (i == n) return;
        if (n >= FL) {  // the vector ending at n: the lanes it shares with the previous vector get the same values again
            FloatVector.fromMemorySegment(FS, x, (xo + n - FL) * 4, ORDER).sub(mv).sub(lv).intoMemorySegment(out, (oo + n - FL) * 4, ORDER);
        } else {
            VectorMask<Float> k = FS.indexInRange(0, n);
            FloatVector.fromMemorySegment(FS, x, xo * 4, ORDER, k).sub(mv).sub(lv).intoMemorySegment(out, oo * 4, ORDER, k);
        }
    }

    /** Writes exp(x - m) to out and returns its sum, in float64 vectors. */
    static double expSumD(MemorySegment x, long xo, MemorySegment out, long oo, int n, double m) {
        DoubleVector mv = DoubleVector.broadcast(DS, m), a0 = DoubleVector.zero(DS), a1 = a0;
        int i = 0;
        for (; n - i >= 2 * DL; i += 2 * DL) {
            DoubleVector e0 = DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER).sub(mv).lanewise(VectorOperators.EXP);
            DoubleVector e1 = DoubleVector.fromMemorySegment(DS, x, (xo + i + DL) * 8, ORDER).sub(mv).lanewise(VectorOperators.EXP);
            e0.intoMemorySegment(out, (oo + i) * 8, ORDER);
            e1.intoMemorySegment(out, (oo + i + DL) * 8, ORDER);
            a0 = a0.add(e0);
            a1 = a1.add(e1);
        }
        for (; i < n; i += DL) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector e = DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER, k).sub(mv).lanewise(VectorOperators.EXP);
            e.intoMemorySegment(out, (oo + i) * 8, ORDER, k);
            a0 = a0.add(e, k);
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    private static void scaleD(MemorySegment out, long oo, int n, double r) {
        DoubleVector rv = DoubleVector.broadcast(DS, r);
        int i = 0;
        for (; i <= n - DL; i += DL)
            DoubleVector.fromMemorySegment(DS, out, (oo + i) * 8, ORDER).mul(rv).intoMemorySegment(out, (oo + i) * 8, ORDER);
        if (i < n) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector.fromMemorySegment(DS, out, (oo + i) * 8, ORDER, k).mul(rv).intoMemorySegment(out, (oo + i) * 8, ORDER, k);
        }
    }

    private static void shiftD(MemorySegment x, long xo, MemorySegment out, long oo, int n, double m, double ls) {
        DoubleVector mv = DoubleVector.broadcast(DS, m), lv = DoubleVector.broadcast(DS, ls);
        int i = 0;
        for (; i <= n - DL; i += DL)
            DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER).sub(mv).sub(lv).intoMemorySegment(out, (oo + i) * 8, ORDER);
        if (i < n) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER, k).sub(mv).sub(lv).intoMemorySegment(out, (oo + i) * 8, ORDER, k);
        }
    }
}
