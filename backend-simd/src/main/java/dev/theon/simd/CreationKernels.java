package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.ops.ARange;
import dev.theon.ops.Alloc;
import dev.theon.ops.Eye;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * arange, eye and alloc: new arrays filled with vector stores. Bad arguments (a zero step, a negative size, a value
 * that does not broadcast) are left to the op's reference perform, which raises them with its wording. Large arrays
 * are filled by several threads, each its own range.
 */
final class CreationKernels {
    private CreationKernels() {}

    static Kernel forNode(Apply node) {
        return switch (node.op()) {
            case ARange a -> new ARangeKernel(node);
            case Eye e -> new EyeKernel(node);
            case Alloc a -> new AllocKernel(node);
            default -> null;
        };
    }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FD = VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * 32));  // as many lanes as D
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final ByteOrder O = ByteOrder.nativeOrder();

    /**
     * {@code start + i * step}: integers in wrapping long arithmetic truncated to the dtype (computed directly in the
     * narrow type, which wraps alike), floats as a float64 product and sum rounded once to the dtype, as the reference.
     */
    static final class ARangeKernel implements Kernel {
        private final Apply node;
        private final DType dt;

        ARangeKernel(Apply node) { this.node = node; this.dt = node.output(0).dtype(); }

        @Override public void run(NDArray[] in, NDArray[] out) {
            if (in[2].toDouble() == 0) { node.op().perform(node, in, out); return; }
            long n;
            if (dt.isDiscrete()) {
                try {
                    n = Math.max(0, Math.ceilDiv(Math.subtractExact(in[1].toLong(), in[0].toLong()), in[2].toLong()));
                } catch (ArithmeticException e) {
                    node.op().perform(node, in, out);
                    return;
                }
            } else {
                double len = Math.ceil((in[1].toDouble() - in[0].toDouble()) / in[2].toDouble());
                if (Double.isNaN(len) || Double.isInfinite(len)) { node.op().perform(node, in, out); return; }
                n = Math.max(0, (long) len);
            }
            NDArray o = Op.reuse(out, 0, dt, new long[]{n});
            MemorySegment seg = o.segment();
            long base = o.offset();
            int parts = Pool.partsFor(n, Blocks.PER_PART);
            if (dt.isDiscrete()) {
                long start = in[0].toLong(), step = in[2].toLong();
                Pool.run(parts, (p, q) -> integers(dt, seg, base, start, step, n * p / q, n * (p + 1) / q));
            } else {
                double start = in[0].toDouble(), step = in[2].toDouble();
                Pool.run(parts, (p, q) -> floats(dt == DType.FLOAT32, seg, base, start, step, n * p / q, n * (p + 1) / q));
            }
        }

        private static void integers(DType dt, MemorySegment seg, long base, long start, long step, long i0, long i1) {
            long i = i0;
            switch (dt) {
                case INT64 -> {
                    int w = L.length();
                    LongVector v = LongVector.zero(L).addIndex(1).mul(step).add(start + i0 * step), inc = LongVector.broadcast(L, w * step);
                    for (; i + w <= i1; i += w) { v.intoMemorySegment(seg, (base + i) * 8, O); v = v.add(inc); }
                }
                case INT32 -> {
                    int w = I.length(), st = (int) step;
                    IntVector v = IntVector.zero(I).addIndex(1).mul(st).add((int) (start + i0 * step)), inc = IntVector.broadcast(I, w * st);
                    for (; i + w <= i1; i += w) { v.intoMemorySegment(seg, (base + i) * 4, O); v = v.add(inc); }
                }
                case INT16 -> {
                    int w = S.length();
                    short st = (short) step;
                    ShortVector v = ShortVector.zero(S).addIndex(1).mul(st).add((short) (start + i0 * step)), inc = ShortVector.broadcast(S, (short) (w * st));
                    for (; i + w <= i1; i += w) { v.intoMemorySegment(seg, (base + i) * 2, O); v = v.add(inc); }
                }
                case INT8 -> {
                    int w = B.length();
                    byte st = (byte) step;
                    ByteVector v = ByteVector.zero(B).addIndex(1).mul(st).add((byte) (start + i0 * step)), inc = ByteVector.broadcast(B, (byte) (w * st));
                    for (; i + w <= i1; i += w) { v.intoMemorySegment(seg, base + i, O); v = v.add(inc); }
                }
                default -> { }  // bool: the scalar loop below (true but where start + i * step is 0)
            }
            for (; i < i1; i++) {
                long v = start + i * step;
                switch (dt) {
                    case INT64 -> seg.setAtIndex(ValueLayout.JAVA_LONG, base + i, v);
                    case INT32 -> seg.setAtIndex(ValueLayout.JAVA_INT, base + i, (int) v);
                    case INT16 -> seg.setAtIndex(ValueLayout.JAVA_SHORT, base + i, (short) v);
                    case INT8 -> seg.set(ValueLayout.JAVA_BYTE, base + i, (byte) v);
                    default -> seg.set(ValueLayout.JAVA_BYTE, base + i, (byte) (v != 0 ? 1 : 0));
                }
            }
        }

        private static void floats(boolean f32, MemorySegment seg, long base, double start, double step, long i0, long i1) {
            int w = D.length();
            long i = i0;
            // the index itself runs in a float64 vector: exact below 2^53, so each lane is start + i * step, not a running sum
            DoubleVector idx = DoubleVector.zero(D).addIndex(1).add((double) i0), vs = DoubleVector.broadcast(D, step),
                    v0 = DoubleVector.broadcast(D, start), vw = DoubleVector.broadcast(D, (double) w);
            for (; i + w <= i1; i += w) {
                DoubleVector v = idx.mul(vs).add(v0);
                if (f32) v.convertShape(VectorOperators.D2F, FD, 0).intoMemorySegment(seg, (base + i) * 4, O);
                else v.intoMemorySegment(seg, (base + i) * 8, O);
                idx = idx.add(vw);
            }
            for (; i < i1; i++) {
                double v = start + i * step;
                if (f32) seg.setAtIndex(ValueLayout.JAVA_FLOAT, base + i, (float) v);
                else seg.setAtIndex(ValueLayout.JAVA_DOUBLE, base + i, v);
            }
        }

        @Override public String describe() { return "arange " + dt + " (vector fill" + (dt == DType.BOOL ? ", scalar for bool" : "") + ")"; }
    }

    /** Rows zeroed with bulk fills, then the diagonal's ones. */
    static final class EyeKernel implements Kernel {
        private final Apply node;
        private final DType dt;

        EyeKernel(Apply node) { this.node = node; this.dt = node.output(0).dtype(); }

        @Override public void run(NDArray[] in, NDArray[] out) {
            long n = in[0].toLong(), m = in[1].toLong(), k = in[2].toLong();
            if (n < 0 || m < 0) { node.op().perform(node, in, out); return; }
            NDArray o = Op.reuse(out, 0, dt, new long[]{n, m});
            if (n == 0 || m == 0) return;
            int es = dt.byteSize();
            long one = switch (dt) {
                case FLOAT64 -> Double.doubleToRawLongBits(1.0);
                case FLOAT32 -> Float.floatToRawIntBits(1f);
                default -> 1;
            };
            MemorySegment seg = o.segment();
            long base = o.offset();
            Pool.run(Pool.partsFor(n * m, Blocks.PER_PART), (p, q) -> {
                long r0 = n * p / q, r1 = n * (p + 1) / q;
                Fill.run(seg, base + r0 * m, (r1 - r0) * m, es, 0);
                for (long i = Math.max(r0, -k); i < r1 && i + k < m; i++) Fill.run(seg, base + i * m + i + k, 1, es, one);
            });
        }

        @Override public String describe() { return "eye " + dt + " (bulk zero fill, then the diagonal)"; }
    }

    /** The value broadcast into the new array: one bulk fill for a single value, bulk row copies for a broadcast array. */
    static final class AllocKernel implements Kernel {
        private final Apply node;

        AllocKernel(Apply node) { this.node = node; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray value = in[0];
            long[] shape = new long[in.length - 1];
            for (int d = 0; d < shape.length; d++) shape[d] = in[d + 1].toLong();
            if (!fits(value.shape(), shape)) { node.op().perform(node, in, out); return; }  // the reference's error
            NDArray o = Op.reuse(out, 0, value.dtype(), shape);
            NDArray v = value.broadcastTo(shape);
            Blocks.single(ElementRuns.Kind.SET, value.dtype(), o.segment(), o.offset(), o.strides(), v.segment(), v.offset(), v.strides(), shape).run();
        }

        /** Sizes are not negative and the value broadcasts by the static rule (size-1 axes stretch only when declared so). */
        private boolean fits(long[] vs, long[] shape) {
            for (long s : shape) if (s < 0) return false;
            if (vs.length > shape.length) return false;
            long[] declared = node.input(0).type().shape();
            int lead = shape.length - vs.length;
            for (int k = 0; k < vs.length; k++) {
                long target = shape[lead + k];
                if (vs[k] != target && (vs[k] != 1 || declared[k] != 1)) return false;
            }
            return true;
        }

        @Override public String describe() { return "alloc: broadcast copy (vector fill of a single value, bulk row copies)"; }
    }
}
