package dev.theon.simd.reduce;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Folds over runs of float32 or float64 elements into float64 accumulators. A run with unit stride is read with
 * vectors; any other stride is read element by element, in float64. "Fold" runs reduce a run to one value; "into"
 * runs fold a run elementwise into consecutive accumulators (the reduction over an outer axis).
 * <p>
 * Unit-stride float32 sums, maxima and minima run in float32 lanes ({@link FloatRuns}: blocked sums with a bound of
 * 15u * sum|x|, extrema exact). Float64 runs, float32 products (whose float32 partials could overflow where the
 * float64 fold does not) and sums of squared deviations (var/std, whose float32 deviation from a float64 mean would
 * lose the mean's low bits) widen float32 lanes to float64 in registers, as the reference accumulates them; four
 * accumulators for throughput.
 */
public final class Runs {
    private Runs() {}

    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Float lanes matching D's lane count, so one float vector widens into one double vector. */
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * 32));
    static final int L = D.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** What a run folds with. SSD: sum of squared deviations from a given mean. */
    public enum Op { SUM, PROD, MAX, MIN, SSD }

    static DoubleVector load(boolean f32, MemorySegment s, long i) {
        return f32 ? (DoubleVector) FloatVector.fromMemorySegment(F, s, i * 4, ORDER).convertShape(VectorOperators.F2D, D, 0)
                   : DoubleVector.fromMemorySegment(D, s, i * 8, ORDER);
    }

    static DoubleVector load(boolean f32, MemorySegment s, long i, VectorMask<Double> m) {
        return f32 ? (DoubleVector) FloatVector.fromMemorySegment(F, s, i * 4, ORDER, m.cast(F)).convertShape(VectorOperators.F2D, D, 0)
                   : DoubleVector.fromMemorySegment(D, s, i * 8, ORDER, m);
    }

    static double read(boolean f32, MemorySegment s, long i) {
        return f32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT, i) : s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
    }

    public static double identity(Op op) {
        return switch (op) {
            case SUM, SSD -> 0;
            case PROD -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    /** The reference's fold of one value: NaN propagates through max and min. */
    public static double combine(Op op, double acc, double v) {
        return switch (op) {
            case SUM, SSD -> acc + v;
            case PROD -> acc * v;
            case MAX -> Double.isNaN(v) || v > acc ? v : acc;
            case MIN -> Double.isNaN(v) || v < acc ? v : acc;
        };
    }

    /** Folds n elements from storage index {@code off} with step {@code st}. */
    public static double fold(Op op, boolean f32, MemorySegment s, long off, long st, long n, double mean) {
        // a small dispatcher, so that the caller's compilation inlines it and the loop it picks: one method holding
        // every loop is too big for C2 to inline the vector operations of all of them
        if (f32 && st == 1 && op == Op.SUM) return FloatRuns.sum(s, off, n);
        if (f32 && st == 1 && (op == Op.MAX || op == Op.MIN)) return FloatRuns.maxMin(s, off, n, op == Op.MAX);
        return foldWide(op, f32, s, off, st, n, mean);
    }

    /** {@link #fold} with every element widened to float64. */
    static double foldWide(Op op, boolean f32, MemorySegment s, long off, long st, long n, double mean) {
        if (st != 1 || n < 4L * L) {
            double acc = identity(op);
            for (long i = 0; i < n; i++) {
                double v = read(f32, s, off + i * st);
                acc = combine(op, acc, op == Op.SSD ? (v - mean) * (v - mean) : v);
            }
            return acc;
        }
        DoubleVector id = DoubleVector.broadcast(D, identity(op)), mv = DoubleVector.broadcast(D, mean);
        DoubleVector a0 = id, a1 = id, a2 = id, a3 = id;
        long i = 0, bound = n - n % (4L * L);
        switch (op) {
            case SUM -> {
                for (; i < bound; i += 4L * L) {
                    a0 = a0.add(load(f32, s, off + i)); a1 = a1.add(load(f32, s, off + i + L));
                    a2 = a2.add(load(f32, s, off + i + 2L * L)); a3 = a3.add(load(f32, s, off + i + 3L * L));
                }
            }
            case PROD -> {
                for (; i < bound; i += 4L * L) {
                    a0 = a0.mul(load(f32, s, off + i)); a1 = a1.mul(load(f32, s, off + i + L));
                    a2 = a2.mul(load(f32, s, off + i + 2L * L)); a3 = a3.mul(load(f32, s, off + i + 3L * L));
                }
            }
            case MAX -> {
                for (; i < bound; i += 4L * L) {
                    a0 = a0.max(load(f32, s, off + i)); a1 = a1.max(load(f32, s, off + i + L));
                    a2 = a2.max(load(f32, s, off + i + 2L * L)); a3 = a3.max(load(f32, s, off + i + 3L * L));
                }
            }
            case MIN -> {
                for (; i < bound; i += 4L * L) {
                    a0 = a0.min(load(f32, s, off + i)); a1 = a1.min(load(f32, s, off + i + L));
                    a2 = a2.min(load(f32, s, off + i + 2L * L)); a3 = a3.min(load(f32, s, off + i + 3L * L));
                }
            }
            case SSD -> {
                for (; i < bound; i += 4L * L) {
                    DoubleVector d0 = load(f32, s, off + i).sub(mv), d1 = load(f32, s, off + i + L).sub(mv);
                    DoubleVector d2 = load(f32, s, off + i + 2L * L).sub(mv), d3 = load(f32, s, off + i + 3L * L).sub(mv);
                    a0 = d0.fma(d0, a0); a1 = d1.fma(d1, a1); a2 = d2.fma(d2, a2); a3 = d3.fma(d3, a3);
                }
            }
        }
        DoubleVector v = switch (op) {
            case SUM, SSD -> a0.add(a1).add(a2.add(a3));
            case PROD -> a0.mul(a1).mul(a2.mul(a3));
            case MAX -> a0.max(a1).max(a2.max(a3));
            case MIN -> a0.min(a1).min(a2.min(a3));
        };
        double acc = switch (op) {
            case SUM, SSD -> v.reduceLanes(VectorOperators.ADD);
            case PROD -> v.reduceLanes(VectorOperators.MUL);
            case MAX -> v.reduceLanes(VectorOperators.MAX);
            case MIN -> v.reduceLanes(VectorOperators.MIN);
        };
        if ((op == Op.MAX || op == Op.MIN) && v.test(VectorOperators.IS_NAN).anyTrue()) acc = Double.NaN;
        for (; i < n; i++) {
            double x = read(f32, s, off + i);
            acc = combine(op, acc, op == Op.SSD ? (x - mean) * (x - mean) : x);
        }
        return acc;
    }

    /**
     * Folds n elements (step {@code st}) elementwise into acc[a0 .. a0 + n) (accumulator step {@code as}); for SSD the
     * mean of each accumulator is {@code means[a]}.
     */
    public static void into(Op op, boolean f32, MemorySegment s, long off, long st, long n, double[] acc, int a0, long as, double[] means) {
        if (st != 1 || as != 1) {
            for (long i = 0; i < n; i++) {
                int a = (int) (a0 + i * as);
                double v = read(f32, s, off + i * st);
                acc[a] = combine(op, acc[a], op == Op.SSD ? (v - means[a]) * (v - means[a]) : v);
            }
            return;
        }
        int i = 0;
        long bound = n - n % L;
        for (; i < bound; i += L) {
            DoubleVector x = load(f32, s, off + i), a = DoubleVector.fromArray(D, acc, a0 + i);
            intoStep(op, x, a, means, a0 + i, null).intoArray(acc, a0 + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector x = load(f32, s, off + i, m), a = DoubleVector.fromArray(D, acc, a0 + i, m);
            intoStep(op, x, a, means, a0 + i, m).intoArray(acc, a0 + i, m);
        }
    }

    private static DoubleVector intoStep(Op op, DoubleVector x, DoubleVector a, double[] means, int at, VectorMask<Double> m) {
        return switch (op) {
            case SUM -> a.add(x);
            case PROD -> a.mul(x);
            case MAX -> a.max(x);
            case MIN -> a.min(x);
            case SSD -> {
                DoubleVector d = x.sub(m == null ? DoubleVector.fromArray(D, means, at) : DoubleVector.fromArray(D, means, at, m));
                yield d.fma(d, a);
            }
        };
    }
}
