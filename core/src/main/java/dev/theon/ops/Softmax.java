package dev.theon.ops;

import dev.theon.T;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;
import dev.theon.tensor.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * {@code exp(x) / sum(exp(x), axis)} along one axis ({@code axis} is non-negative; see {@link #axisFor}). The maximum
 * along the axis is subtracted first, so large inputs do not overflow. The result is a float of the same shape
 * (integers become floats as with {@code exp}).
 */
public record Softmax(int axis) implements Op {

    /** The op for a possibly negative {@code axis} of an input of rank {@code rank} (out-of-range axes are left for the type rule). */
    public static Softmax of(int axis, int rank) { return new Softmax(axisFor(axis, rank)); }

    @Override public String name() { return "softmax{axis=" + axis + "}"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) { return List.of(floatTypeAlong(this, axis, in)); }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        alongAxis(x, Op.reuse(outs, 0, x.dtype().toFloat(), x.shape()), axis, false);
    }

    /**
     * {@code (g - sum(g * sm, axis, keepdims)) * sm}: the Jacobian of softmax is {@code diag(sm) - sm sm^T} along the
     * axis, applied to g without forming it. Written from the output, so it is as stable as the forward pass.
     * Integer inputs are disconnected.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0);
        if (!x.dtype().isFloat()) return Arrays.asList((Variable) null);
        Variable sm = outputs.get(0), g = gz.get(0);
        Variable gx = T.mul(T.sub(g, T.sum(T.mul(g, sm), new int[]{axis}, true)), sm);
        return List.of(T.cast(gx, x.dtype()));
    }

    @Override public String toString() { return name(); }

    /** Python's negative axis resolved against {@code rank}; an axis out of range is returned as given. */
    static int axisFor(int axis, int rank) { return axis < 0 && axis >= -rank ? axis + rank : axis; }

    /** The type rule shared by softmax and log-softmax: one operand of rank >= 1, a valid axis, a float result. */
    static TensorType floatTypeAlong(Op op, int axis, List<Variable> in) {
        if (in.size() != 1) throw op.typeError(in, "expects 1 operand, got " + in.size());
        TensorType t = in.get(0).type();
        if (t.ndim() == 0) throw op.typeError(in, "expects a tensor of rank >= 1, got a scalar");
        if (axis < 0 || axis >= t.ndim())
            throw op.typeError(in, "axis " + axis + " is out of range; expected an axis in [" + -t.ndim() + ", " + (t.ndim() - 1) + "] for rank " + t.ndim());
        return t.withDType(t.dtype().toFloat());
    }

    /**
     * Writes softmax (or, with {@code log}, log-softmax) of {@code x} along {@code axis} into {@code out}, which has
     * the same shape. Each lane along the axis is computed in double: m = max, s = sum(exp(x - m)), then
     * exp(x - m) / s or x - m - log(s).
     */
    static void alongAxis(NDArray x, NDArray out, int axis, boolean log) {
        long[] shape = x.shape();
        long n = shape[axis];
        long[] outer = Shapes.drop(shape, axis);
        long lanes = Shapes.size(outer);
        if (n == 0 || lanes == 0) return;
        long xs = x.strides()[axis], os = out.strides()[axis];
        // views without the axis: the odometer walks lane starts, the inner loop walks the lane
        NDArray xl = x.view(outer, Shapes.drop(x.strides(), axis), x.offset());
        NDArray ol = out.view(outer, Shapes.drop(out.strides(), axis), out.offset());
        Odometer it = new Odometer(outer, xl, ol);
        for (long l = 0; l < lanes; l++) {
            long px = it.pos[0], po = it.pos[1];
            double m = Double.NEGATIVE_INFINITY;
            for (long k = 0; k < n; k++) {
                double v = x.readDouble(px + k * xs);
                if (v > m || Double.isNaN(v)) m = v;
                if (Double.isNaN(m)) break;
            }
            double s = 0;
            for (long k = 0; k < n; k++) s += Math.exp(x.readDouble(px + k * xs) - m);
            if (log) {
                double ls = Math.log(s);
                for (long k = 0; k < n; k++) out.writeDouble(po + k * os, x.readDouble(px + k * xs) - m - ls);
            } else {
                for (long k = 0; k < n; k++) out.writeDouble(po + k * os, Math.exp(x.readDouble(px + k * xs) - m) / s);
            }
            it.next();
        }
    }
}
