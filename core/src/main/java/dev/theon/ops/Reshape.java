package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * Gives its input a new shape with the same elements in C order, as NumPy's reshape; one dim may be -1 (inferred).
 * Two forms:
 * <ul>
 *   <li>a fixed target ({@code shape != null}, one input): the target is part of the op, so the output's static shape
 *       is known (the -1 too, when the input's element count is known statically);</li>
 *   <li>a symbolic target ({@code shape == null}, two inputs: the tensor and an integer vector of static length
 *       {@code ndim}): the output's rank is known, its sizes only at run time.</li>
 * </ul>
 * The output is a view when the input is C-contiguous, else a C-ordered copy.
 */
public record Reshape(int ndim, long[] shape) implements Op {

    public Reshape {
        if (shape != null) shape = shape.clone();
        if (shape != null && shape.length != ndim)
            throw new IllegalArgumentException("reshape target " + Arrays.toString(shape) + " does not have rank " + ndim);
    }

    public static Reshape to(long... shape) { return new Reshape(shape.length, shape); }

    public static Reshape symbolic(int ndim) { return new Reshape(ndim, null); }

    @Override public long[] shape() { return shape == null ? null : shape.clone(); }

    public boolean isSymbolic() { return shape == null; }

    @Override public String name() {
        if (shape == null) return "reshape{ndim=" + ndim + "}";
        StringBuilder b = new StringBuilder("reshape{(");
        for (int i = 0; i < shape.length; i++) b.append(i > 0 ? ", " : "").append(shape[i]);
        return b.append(shape.length == 1 ? ",)}" : ")}").toString();
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        int want = shape == null ? 2 : 1;
        if (in.size() != want) throw typeError(in, "expects " + want + " operand(s), got " + in.size());
        TensorType t = in.get(0).type();
        if (shape == null) {
            TensorType st = in.get(1).type();
            if (!st.dtype().isInteger() || st.ndim() != 1 || st.dim(0) != ndim)
                throw typeError(in, "the target shape must be an integer vector of static length " + ndim + ", got " + st);
            long[] out = new long[ndim];
            Arrays.fill(out, Shapes.UNKNOWN);
            return List.of(TensorType.of(t.dtype(), out));
        }
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) throw typeError(in, "target " + targetStr() + " has more than one -1; only one dim can be inferred");
                unknown = i;
            } else if (shape[i] < 0) {
                throw typeError(in, "target " + targetStr() + " has the negative size " + shape[i] + "; sizes must be >= 0, or -1 for one inferred dim");
            } else known = Math.multiplyExact(known, shape[i]);
        }
        long[] out = shape.clone();
        long n = staticSize(t.shape());
        if (n >= 0) {
            if (unknown >= 0) {
                if (known == 0 || n % known != 0)
                    throw typeError(in, "cannot reshape " + n + " elements (static shape " + Shapes.str(t.shape()) + ") into " + targetStr());
                out[unknown] = n / known;
            } else if (known != n) {
                throw typeError(in, "cannot reshape " + n + " elements (static shape " + Shapes.str(t.shape()) + ") into " + targetStr()
                        + " (" + known + " elements)");
            }
        }
        return List.of(TensorType.of(t.dtype(), out));
    }

    private String targetStr() { return name().substring("reshape{".length(), name().length() - 1); }

    /** Number of elements of a static shape: -1 when unknown (0 as soon as one known dim is 0). */
    static long staticSize(long[] s) {
        for (long d : s) if (d == 0) return 0;
        long n = 1;
        for (long d : s) {
            if (d < 0) return Shapes.UNKNOWN;
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        long[] target = shape;
        if (target == null) {
            NDArray s = in[1];
            if (s.ndim() != 1 || s.shape(0) != ndim)
                throw new TheonException.ShapeError(name() + ": the target shape has shape " + Shapes.str(s.shape()) + ", expected (" + ndim + ",)");
            target = s.toLongArray();
        }
        long[] resolved;
        try {
            resolved = Shapes.resolveReshape(x.shape(), target);
        } catch (IllegalArgumentException e) {
            throw new TheonException.ShapeError(name() + ": cannot reshape an input of shape " + Shapes.str(x.shape()) + " ("
                    + x.size() + " elements) into " + Arrays.toString(target) + ": " + e.getMessage());
        }
        viewOrCopy(x, resolved, outs);
    }

    /**
     * Stores {@code x} with shape {@code s} (same element count) into {@code outs[0]}: a view of contiguous data,
     * else a C-ordered copy written into the reusable output buffer.
     */
    static void viewOrCopy(NDArray x, long[] s, NDArray[] outs) {
        if (x.isContiguous()) {
            outs[0] = x.view(s, Shapes.cStrides(s), x.offset());
            return;
        }
        NDArray out = Op.reuse(outs, 0, x.dtype(), s);
        // the fresh buffer is contiguous from offset 0, so it can be viewed with the input's shape for the copy
        x.copyInto(out.view(x.shape(), Shapes.cStrides(x.shape()), 0));
    }

    /** The gradient given the input's shape back; the target shape of the symbolic form is disconnected. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable gx = InputGrads.reshapedLike(gz.get(0), inputs.get(0));
        return shape == null ? Arrays.asList(gx, null) : Arrays.asList(gx);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Reshape r && r.ndim == ndim && Arrays.equals(r.shape, shape);
    }

    @Override public int hashCode() { return ndim * 31 + Arrays.hashCode(shape); }

    @Override public String toString() { return name(); }
}
