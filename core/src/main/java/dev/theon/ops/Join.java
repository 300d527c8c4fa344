package dev.theon.ops;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * Concatenation along an existing axis (Theano's Join, NumPy's concatenate). All inputs have the same rank and
 * agree on every other axis (no broadcasting); the output dtype is the promotion of the inputs' dtypes, and values
 * are converted as they are copied. {@code axis} is non-negative (normalised by the facade). Stacking along a new
 * axis is a Join of inputs that each gained that axis by a {@link DimShuffle}.
 */
public record Join(int axis) implements Op {

    @Override public String name() { return "join{axis=" + axis + "}"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.isEmpty()) throw typeError(in, "needs at least one tensor to join");
        TensorType first = in.get(0).type();
        int rank = first.ndim();
        if (rank == 0) throw typeError(in, "cannot join scalars (rank 0) along an axis; stack them into a vector instead");
        if (axis < 0 || axis >= rank) throw typeError(in, "axis " + axis + " is out of range for rank " + rank);
        DType[] dts = new DType[in.size()];
        long[] out = first.shape();
        for (int i = 0; i < in.size(); i++) {
            TensorType t = in.get(i).type();
            dts[i] = t.dtype();
            if (t.ndim() != rank)
                throw typeError(in, "all inputs must have the same rank; input 0 has rank " + rank + " but input " + i + " has rank " + t.ndim());
            if (i == 0) continue;
            for (int d = 0; d < rank; d++) {
                long a = out[d], b = t.dim(d);
                if (d == axis) out[d] = a < 0 || b < 0 ? Shapes.UNKNOWN : a + b;
                else if (a >= 0 && b >= 0 && a != b)
                    throw typeError(in, "input " + i + " has static shape " + Shapes.str(t.shape()) + " which differs from the others' size " + a
                            + " on axis " + d + "; all dims except the join axis " + axis + " must agree");
                else if (a < 0) out[d] = b;
            }
        }
        return List.of(TensorType.of(DType.promote(dts), out));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        long[] shape = in[0].shape();
        DType[] dts = new DType[in.length];
        for (int i = 0; i < in.length; i++) {
            dts[i] = in[i].dtype();
            long[] s = in[i].shape();
            for (int d = 0; d < shape.length; d++) {
                if (d != axis && s[d] != shape[d]) throw shapeError(in, "input " + i + " has size " + s[d] + " on axis " + d + " where input 0 has " + shape[d]);
            }
            if (i > 0) shape[axis] += s[axis];
        }
        NDArray out = Op.reuse(outs, 0, DType.promote(dts), shape);
        long start = 0;
        for (NDArray x : in) {
            long n = x.shape(axis);
            // an empty piece's slice may start past the end of storage, where even a zero-length copy is refused
            if (x.size() > 0) x.copyInto(out.slice(axis, start, start + n, 1));
            start += n;
        }
    }

    /**
     * The output gradient cut back into one piece per input along the axis, by {@link Split}: with static sizes where
     * every input's size on the axis is known (a stack's pieces are always size 1), else with the run-time sizes.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        int n = inputs.size();
        long[] sizes = new long[n];
        boolean symbolic = false;
        for (int i = 0; i < n; i++) {
            sizes[i] = inputs.get(i).type().dim(axis);
            symbolic |= sizes[i] == Shapes.UNKNOWN;
        }
        Split split = new Split(sizes, axis);
        List<Variable> pieces;
        if (symbolic) {
            List<Variable> runtime = new ArrayList<>(n);
            for (Variable x : inputs) runtime.add(T.shape(x, axis));
            pieces = split.make(gz.get(0), T.stack(runtime)).outputs();
        } else {
            pieces = split.make(gz.get(0)).outputs();
        }
        List<Variable> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) result.add(InputGrads.of(pieces.get(i), inputs.get(i)));
        return result;
    }

    private TheonException.ShapeError shapeError(NDArray[] in, String what) {
        StringBuilder b = new StringBuilder(name()).append(": cannot join input shapes ");
        for (int i = 0; i < in.length; i++) b.append(i == 0 ? "" : ", ").append(Shapes.str(in[i].shape()));
        return new TheonException.ShapeError(b.append(": ").append(what).append("; all dims except the join axis must agree").toString());
    }

    @Override public String toString() { return name(); }
}
