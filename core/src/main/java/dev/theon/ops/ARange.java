package dev.theon.ops;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;

/**
 * NumPy's {@code arange(start, stop, step)} as a vector of {@code dtype}; the three inputs are scalars. Integer
 * results are computed exactly in long; float results as {@code start + i * step} in double, rounded once when
 * stored, with length {@code ceil((stop - start) / step)}. The length is static when all three are constants.
 */
public record ARange(DType dtype) implements Op {

    @Override public String name() { return "arange{" + dtype + "}"; }

    @Override public Op bind(DType floatX) { return dtype == DType.FLOATX ? new ARange(floatX) : this; }

    private static final String[] ROLES = {"start", "stop", "step"};

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 3) throw typeError(in, "expects 3 operands (start, stop, step), got " + in.size());
        for (int i = 0; i < 3; i++) {
            TensorType t = in.get(i).type();
            if (t.ndim() != 0 || t.dtype().isBool()) throw typeError(in, ROLES[i] + " is a " + t + "; expected a numeric scalar");
            if (dtype.isDiscrete() && t.dtype().isFloat())
                throw typeError(in, ROLES[i] + " is a " + t + " but the result is " + dtype + "; expected integer scalars for an integer range");
        }
        long length = Shapes.UNKNOWN;
        if (in.get(0) instanceof Constant a && in.get(1) instanceof Constant b && in.get(2) instanceof Constant c) {
            if (c.value().toDouble() == 0) throw typeError(in, "step is zero; expected a nonzero step");
            try {
                length = dtype.isDiscrete() ? lengthOf(a.value().toLong(), b.value().toLong(), c.value().toLong())
                        : lengthOf(a.value().toDouble(), b.value().toDouble(), c.value().toDouble());
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw typeError(in, e.getMessage() + "; expected finite bounds");
            }
        }
        return List.of(TensorType.of(dtype, length));
    }

    /** Python's {@code len(range(start, stop, step))}. */
    static long lengthOf(long start, long stop, long step) {
        return Math.max(0, Math.ceilDiv(Math.subtractExact(stop, start), step));
    }

    /** NumPy's length for a float range. */
    static long lengthOf(double start, double stop, double step) {
        double n = Math.ceil((stop - start) / step);
        if (Double.isNaN(n) || Double.isInfinite(n))
            throw new IllegalArgumentException("arange(" + start + ", " + stop + ", " + step + ") has no finite length");
        return Math.max(0, (long) n);
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        if (in[2].toDouble() == 0) throw new TheonException.ShapeError(name() + ": step is zero; expected a nonzero step");
        DType dt = node.output(0).dtype();
        if (dt.isDiscrete()) {
            long start = in[0].toLong(), step = in[2].toLong();
            long n = lengthOf(start, in[1].toLong(), step);
            NDArray out = Op.reuse(outs, 0, dt, new long[]{n});
            for (long i = 0; i < n; i++) out.writeLong(i, start + i * step);
        } else {
            double start = in[0].toDouble(), step = in[2].toDouble();
            long n;
            try {
                n = lengthOf(start, in[1].toDouble(), step);
            } catch (IllegalArgumentException e) {
                throw new TheonException.ShapeError(name() + ": " + e.getMessage());
            }
            NDArray out = Op.reuse(outs, 0, dt, new long[]{n});
            for (long i = 0; i < n; i++) out.writeDouble(i, start + i * step);
        }
    }

    /**
     * As Theano: an integer range has no gradient. A float range is {@code start + i * step}, so start gets the sum of
     * the output gradient and step gets {@code sum(g * i)}; stop only sets the length and is disconnected. Integer
     * bounds are disconnected either way.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        List<Variable> r = InputGrads.none(3);
        if (outputs.get(0).dtype().isDiscrete()) return r;
        Variable g = gz.get(0);
        Variable index = T.cast(new ARange(DType.INT64).apply(T.constant(0L), T.shape(outputs.get(0), 0), T.constant(1L)), g.dtype());
        r.set(0, InputGrads.of(T.sum(g), inputs.get(0)));
        r.set(2, InputGrads.of(T.sum(T.mul(g, index)), inputs.get(2)));
        return r;
    }

    @Override public String toString() { return name(); }
}
