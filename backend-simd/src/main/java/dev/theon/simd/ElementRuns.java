package dev.theon.simd;

import dev.theon.tensor.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The element operations of the indexing and creation kernels over runs of storage: copy a source run into a target
 * run, or add it, with the reference's arithmetic. Adds are in the target's dtype: float adds round once (the
 * reference's float64 sum of two float32 values rounded to float32 is the float32 sum), integer adds wrap as the
 * reference's long sum truncated to the narrow type does, and bool adds are a logical or. Runs with unit strides (or a
 * source of stride 0, one value for the whole run) use vectors; other strides a scalar loop.
 */
final class ElementRuns {
    private ElementRuns() {}

    /** SET copies, ADD adds in the target's dtype; the source has the target's dtype. */
    enum Kind { SET, ADD }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final ByteOrder O = ByteOrder.nativeOrder();

    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    /** {@code t[to + i*ts] (op)= s[so + i*ss]} for {@code i < n}; {@code dt} is the target's dtype. */
    static void apply(Kind k, DType dt, MemorySegment t, long to, long ts, MemorySegment s, long so, long ss, long n) {
        if (n <= 0) return;
        if (k == Kind.SET) set(dt.byteSize(), t, to, ts, s, so, ss, n);
        else add(dt, t, to, ts, s, so, ss, n);
    }

    static void set(int es, MemorySegment t, long to, long ts, MemorySegment s, long so, long ss, long n) {
        if (ss == 0) Fill.strided(t, to, ts, n, es, bits(s, so, es));
        else if (ts == 1 && ss == 1) MemorySegment.copy(s, so * es, t, to * es, n * es);
        else Copy.run(s, so, ss, t, to, ts, n, es);
    }

    private static long bits(MemorySegment s, long i, int es) {
        return switch (es) {
            case 8 -> s.getAtIndex(I64, i);
            case 4 -> s.getAtIndex(I32, i);
            case 2 -> s.getAtIndex(I16, i);
            default -> s.get(I8, i);
        };
    }

    static void add(DType dt, MemorySegment t, long to, long ts, MemorySegment s, long so, long ss, long n) {
        long done = 0;
        if (ts == 1 && (ss == 1 || ss == 0)) {
            done = switch (dt) {
                case FLOAT64 -> addF64(t, to, s, so, ss, n);
                case FLOAT32 -> addF32(t, to, s, so, ss, n);
                case INT64 -> addI64(t, to, s, so, ss, n);
                case INT32 -> addI32(t, to, s, so, ss, n);
                case INT16 -> addI16(t, to, s, so, ss, n);
                case INT8, BOOL -> addI8(t, to, s, so, ss, n, dt == DType.BOOL);
                case FLOATX -> throw new IllegalStateException("floatX is bound before kernels run");
            };
        }
        addScalar(dt, t, to + done * ts, ts, s, so + done * ss, ss, n - done);
    }

    private static long addF64(MemorySegment t, long to, MemorySegment s, long so, long ss, long n) {
        int w = D.length();
        long i = 0;
        if (ss == 0) {
            DoubleVector c = DoubleVector.broadcast(D, s.getAtIndex(F64, so));
            for (; i + w <= n; i += w) { long at = (to + i) * 8; DoubleVector.fromMemorySegment(D, t, at, O).add(c).intoMemorySegment(t, at, O); }
        } else {
            for (; i + w <= n; i += w) {
                long at = (to + i) * 8;
                DoubleVector.fromMemorySegment(D, t, at, O).add(DoubleVector.fromMemorySegment(D, s, (so + i) * 8, O)).intoMemorySegment(t, at, O);
            }
        }
        return i;
    }

    private static long addF32(MemorySegment t, long to, MemorySegment s, long so, long ss, long n) {
        int w = F.length();
        long i = 0;
        if (ss == 0) {
            FloatVector c = FloatVector.broadcast(F, s.getAtIndex(F32, so));
            for (; i + w <= n; i += w) { long at = (to + i) * 4; FloatVector.fromMemorySegment(F, t, at, O).add(c).intoMemorySegment(t, at, O); }
        } else {
            for (; i + w <= n; i += w) {
                long at = (to + i) * 4;
                FloatVector.fromMemorySegment(F, t, at, O).add(FloatVector.fromMemorySegment(F, s, (so + i) * 4, O)).intoMemorySegment(t, at, O);
            }
        }
        return i;
    }

    private static long addI64(MemorySegment t, long to, MemorySegment s, long so, long ss, long n) {
        int w = L.length();
        long i = 0;
        if (ss == 0) {
            LongVector c = LongVector.broadcast(L, s.getAtIndex(I64, so));
            for (; i + w <= n; i += w) { long at = (to + i) * 8; LongVector.fromMemorySegment(L, t, at, O).add(c).intoMemorySegment(t, at, O); }
        } else {
            for (; i + w <= n; i += w) {
                long at = (to + i) * 8;
                LongVector.fromMemorySegment(L, t, at, O).add(LongVector.fromMemorySegment(L, s, (so + i) * 8, O)).intoMemorySegment(t, at, O);
            }
        }
        return i;
    }

    private static long addI32(MemorySegment t, long to, MemorySegment s, long so, long ss, long n) {
        int w = I.length();
        long i = 0;
        if (ss == 0) {
            IntVector c = IntVector.broadcast(I, s.getAtIndex(I32, so));
            for (; i + w <= n; i += w) { long at = (to + i) * 4; IntVector.fromMemorySegment(I, t, at, O).add(c).intoMemorySegment(t, at, O); }
        } else {
            for (; i + w <= n; i += w) {
                long at = (to + i) * 4;
                IntVector.fromMemorySegment(I, t, at, O).add(IntVector.fromMemorySegment(I, s, (so + i) * 4, O)).intoMemorySegment(t, at, O);
            }
        }
        return i;
    }

    private static long addI16(MemorySegment t, long to, MemorySegment s, long so, long ss, long n) {
        int w = S.length();
        long i = 0;
        if (ss == 0) {
            ShortVector c = ShortVector.broadcast(S, s.getAtIndex(I16, so));
            for (; i + w <= n; i += w) { long at = (to + i) * 2; ShortVector.fromMemorySegment(S, t, at, O).add(c).intoMemorySegment(t, at, O); }
        } else {
            for (; i + w <= n; i += w) {
                long at = (to + i) * 2;
                ShortVector.fromMemorySegment(S, t, at, O).add(ShortVector.fromMemorySegment(S, s, (so + i) * 2, O)).intoMemorySegment(t, at, O);
            }
        }
        return i;
    }

    /** int8 adds wrap; bool "adds" are a logical or (the values are 0 and 1). */
    private static long addI8(MemorySegment t, long to, MemorySegment s, long so, long ss, long n, boolean bool) {
        int w = B.length();
        long i = 0;
        ByteVector c = ss == 0 ? ByteVector.broadcast(B, s.get(I8, so)) : null;
        for (; i + w <= n; i += w) {
            long at = to + i;
            ByteVector a = ByteVector.fromMemorySegment(B, t, at, O), b = c != null ? c : ByteVector.fromMemorySegment(B, s, so + i, O);
            (bool ? a.or(b) : a.add(b)).intoMemorySegment(t, at, O);
        }
        return i;
    }

    /** The same adds one element at a time, for strided runs and vector tails. */
    private static void addScalar(DType dt, MemorySegment t, long to, long ts, MemorySegment s, long so, long ss, long n) {
        switch (dt) {
            case FLOAT64 -> { for (long i = 0; i < n; i++) { long a = to + i * ts; t.setAtIndex(F64, a, t.getAtIndex(F64, a) + s.getAtIndex(F64, so + i * ss)); } }
            case FLOAT32 -> { for (long i = 0; i < n; i++) { long a = to + i * ts; t.setAtIndex(F32, a, t.getAtIndex(F32, a) + s.getAtIndex(F32, so + i * ss)); } }
            case INT64 -> { for (long i = 0; i < n; i++) { long a = to + i * ts; t.setAtIndex(I64, a, t.getAtIndex(I64, a) + s.getAtIndex(I64, so + i * ss)); } }
            case INT32 -> { for (long i = 0; i < n; i++) { long a = to + i * ts; t.setAtIndex(I32, a, t.getAtIndex(I32, a) + s.getAtIndex(I32, so + i * ss)); } }
            case INT16 -> { for (long i = 0; i < n; i++) { long a = to + i * ts; t.setAtIndex(I16, a, (short) (t.getAtIndex(I16, a) + s.getAtIndex(I16, so + i * ss))); } }
            case INT8 -> { for (long i = 0; i < n; i++) { long a = to + i * ts; t.set(I8, a, (byte) (t.get(I8, a) + s.get(I8, so + i * ss))); } }
            case BOOL -> { for (long i = 0; i < n; i++) { long a = to + i * ts; t.set(I8, a, (byte) (t.get(I8, a) + s.get(I8, so + i * ss) != 0 ? 1 : 0)); } }
            case FLOATX -> throw new IllegalStateException("floatX is bound before kernels run");
        }
    }

    /**
     * One element per position: {@code t[tb + tAt[p]] (op)= s[sb + sAt[p]]} for {@code p} in {@code [p0, p1)}, in that
     * order (with repeated target positions, later ones see earlier writes: increments accumulate, the last set wins).
     */
    static void scattered(Kind k, DType dt, MemorySegment t, long tb, long[] tAt, MemorySegment s, long sb, long[] sAt, int p0, int p1) {
        if (k == Kind.SET) {
            switch (dt.byteSize()) {
                case 8 -> { for (int p = p0; p < p1; p++) t.setAtIndex(I64, tb + tAt[p], s.getAtIndex(I64, sb + sAt[p])); }
                case 4 -> { for (int p = p0; p < p1; p++) t.setAtIndex(I32, tb + tAt[p], s.getAtIndex(I32, sb + sAt[p])); }
                case 2 -> { for (int p = p0; p < p1; p++) t.setAtIndex(I16, tb + tAt[p], s.getAtIndex(I16, sb + sAt[p])); }
                default -> { for (int p = p0; p < p1; p++) t.set(I8, tb + tAt[p], s.get(I8, sb + sAt[p])); }
            }
            return;
        }
        switch (dt) {
            case FLOAT64 -> { for (int p = p0; p < p1; p++) { long a = tb + tAt[p]; t.setAtIndex(F64, a, t.getAtIndex(F64, a) + s.getAtIndex(F64, sb + sAt[p])); } }
            case FLOAT32 -> { for (int p = p0; p < p1; p++) { long a = tb + tAt[p]; t.setAtIndex(F32, a, t.getAtIndex(F32, a) + s.getAtIndex(F32, sb + sAt[p])); } }
            case INT64 -> { for (int p = p0; p < p1; p++) { long a = tb + tAt[p]; t.setAtIndex(I64, a, t.getAtIndex(I64, a) + s.getAtIndex(I64, sb + sAt[p])); } }
            case INT32 -> { for (int p = p0; p < p1; p++) { long a = tb + tAt[p]; t.setAtIndex(I32, a, t.getAtIndex(I32, a) + s.getAtIndex(I32, sb + sAt[p])); } }
            case INT16 -> { for (int p = p0; p < p1; p++) { long a = tb + tAt[p]; t.setAtIndex(I16, a, (short) (t.getAtIndex(I16, a) + s.getAtIndex(I16, sb + sAt[p]))); } }
            case INT8 -> { for (int p = p0; p < p1; p++) { long a = tb + tAt[p]; t.set(I8, a, (byte) (t.get(I8, a) + s.get(I8, sb + sAt[p]))); } }
            case BOOL -> { for (int p = p0; p < p1; p++) { long a = tb + tAt[p]; t.set(I8, a, (byte) (t.get(I8, a) + s.get(I8, sb + sAt[p]) != 0 ? 1 : 0)); } }
            case FLOATX -> throw new IllegalStateException("floatX is bound before kernels run");
        }
    }
}
