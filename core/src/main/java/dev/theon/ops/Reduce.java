package dev.theon.ops;

import dev.theon.T;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;
import dev.theon.tensor.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * A reduction over some axes (all axes when {@code axes} is null), optionally keeping reduced dims as size 1.
 * {@code axes} are normalised (non-negative, sorted, unique) by {@link #of}.
 */
public record Reduce(Kind kind, int[] axes, boolean keepdims) implements Op {

    /** What the reduction computes. */
    public enum Kind {
        SUM("sum");

        final String label;
        Kind(String label) { this.label = label; }
    }

    public static Reduce of(Kind kind, int rank, int[] axes, boolean keepdims) {
        if (axes == null) return new Reduce(kind, null, keepdims);
        boolean[] seen = new boolean[rank];
        for (int a : axes) {
            int n = Shapes.axis(a, rank);
            if (seen[n]) throw new IllegalArgumentException("axis " + a + " appears twice in " + Arrays.toString(axes));
            seen[n] = true;
        }
        int[] norm = new int[axes.length];
        int k = 0;
        for (int i = 0; i < rank; i++) if (seen[i]) norm[k++] = i;
        return new Reduce(kind, norm, keepdims);
    }

    /** Whether axis {@code d} of an input of rank {@code rank} is reduced. */
    public boolean reduces(int d) {
        if (axes == null) return true;
        for (int a : axes) if (a == d) return true;
        return false;
    }

    @Override public String name() {
        return kind.label + "{" + (axes == null ? "all" : "axis=" + Arrays.toString(axes)) + (keepdims ? ", keepdims" : "") + "}";
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand");
        TensorType t = in.get(0).type();
        if (axes != null) for (int a : axes) if (a >= t.ndim()) throw typeError(in, "axis " + a + " is out of range for rank " + t.ndim());
        return List.of(TensorType.of(outDType(t.dtype()), outShape(t.shape())));
    }

    /** NumPy: sums of bool and small ints accumulate in int64; floats keep their dtype. */
    DType outDType(DType in) {
        return switch (kind) {
            case SUM -> in.isDiscrete() ? DType.INT64 : in;
        };
    }

    long[] outShape(long[] s) {
        int n = 0;
        for (int d = 0; d < s.length; d++) if (keepdims || !reduces(d)) n++;
        long[] out = new long[n];
        int k = 0;
        for (int d = 0; d < s.length; d++) {
            if (!reduces(d)) out[k++] = s[d];
            else if (keepdims) out[k++] = 1;
        }
        return out;
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        long[] shape = x.shape();
        NDArray out = Op.reuse(outs, 0, outDType(x.dtype()), outShape(shape));
        // view the output with stride 0 on reduced axes so each input element maps onto its accumulator
        long[] full = new long[shape.length], ostr = out.strides(), st = new long[shape.length];
        int k = 0;
        for (int d = 0; d < shape.length; d++) {
            full[d] = shape[d];
            if (reduces(d)) { st[d] = 0; if (keepdims) k++; }
            else st[d] = ostr[k++];
        }
        NDArray acc = out.view(shape, st, out.offset());
        long n = out.size();
        boolean exact = out.dtype().isDiscrete();
        for (long i = 0; i < n; i++) out.setFlatDouble(i, 0);
        Odometer it = new Odometer(shape, x, acc);
        long size = x.size();
        for (long i = 0; i < size; i++) {
            if (exact) acc.writeLong(it.pos[1], acc.readLong(it.pos[1]) + x.readLong(it.pos[0]));
            else acc.writeDouble(it.pos[1], acc.readDouble(it.pos[1]) + x.readDouble(it.pos[0]));
            it.next();
        }
    }

    /** Sum: the output gradient broadcast back over the reduced axes. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0), g = gz.get(0);
        if (x.dtype().isDiscrete()) return java.util.Arrays.asList((Variable) null);
        if (!keepdims && axes != null && axes.length < x.ndim()) g = T.dimshuffle(g, keptPattern(x.ndim()));
        return List.of(new Elemwise(ScalarOp.SECOND).apply(x, dev.theon.T.cast(g, x.dtype())));
    }

    /** The dimshuffle pattern that puts the reduced axes back as broadcastable dims: e.g. {0, "x", 1}. */
    private Object[] keptPattern(int rank) {
        Object[] p = new Object[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) p[d] = reduces(d) ? "x" : (Object) k++;
        return p;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Reduce r && r.kind == kind && Arrays.equals(r.axes, axes) && r.keepdims == keepdims;
    }

    @Override public int hashCode() { return kind.hashCode() * 31 + Arrays.hashCode(axes) * 7 + (keepdims ? 1 : 0); }

    @Override public String toString() { return name(); }
}
