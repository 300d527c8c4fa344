package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;

/**
 * Theano's {@code alloc(value, *dims)}: a new tensor of shape {@code dims} filled with {@code value}, which is a
 * scalar or a tensor that broadcasts to that shape (NumPy rules from the right). Inputs: the value, then one integer
 * scalar per dim. A dim is known statically when it is a constant or the size of a statically known axis
 * ({@link KnownInt}); the value's known sizes above 1 fill in the others, since broadcasting requires them.
 * The value broadcasts by the static rule of {@link Elemwise}: only axes of static size 1 (or missing) broadcast.
 */
public record Alloc() implements Op {

    @Override public String name() { return "alloc"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.isEmpty()) throw typeError(in, "expects a value and the dims of the result");
        TensorType value = in.get(0).type();
        int n = in.size() - 1;
        if (value.ndim() > n)
            throw typeError(in, "the value has rank " + value.ndim() + " but only " + n + " dim(s) were given; expected at least as many dims as the value's rank");
        long[] shape = new long[n];
        for (int d = 0; d < n; d++) {
            Variable dim = in.get(d + 1);
            if (dim.ndim() != 0 || !dim.dtype().isInteger())
                throw typeError(in, "dim " + d + " (" + dim.describe() + ") is a " + dim.type() + "; expected an integer scalar");
            Long known = KnownInt.of(dim);
            if (known != null && known < 0) throw typeError(in, "dim " + d + " is negative (" + known + "); expected a size of 0 or more");
            shape[d] = known == null ? Shapes.UNKNOWN : known;
        }
        long[] vs = value.shape();
        int lead = n - vs.length;
        for (int k = 0; k < vs.length; k++) {
            long v = vs[k], s = shape[lead + k];
            if (v < 0 || v == 1) continue;
            if (s == Shapes.UNKNOWN) shape[lead + k] = v;
            else if (s != v)
                throw typeError(in, "a value of shape " + Shapes.str(vs) + " cannot be broadcast to shape " + Shapes.str(shape)
                        + "; expected each axis of the value to be 1 or the size of the matching dim");
        }
        return List.of(TensorType.of(value.dtype(), shape));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray value = in[0];
        long[] shape = new long[in.length - 1];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = in[d + 1].toLong();
            if (shape[d] < 0) throw new TheonException.ShapeError(name() + ": dim " + d + " is negative (" + shape[d] + "); expected a size of 0 or more");
        }
        long[] vs = value.shape(), declared = node.input(0).type().shape();
        int lead = shape.length - vs.length;
        for (int k = 0; k < vs.length; k++) {
            long target = shape[lead + k];
            if (vs[k] == target) continue;
            if (vs[k] != 1)
                throw new TheonException.ShapeError(name() + ": a value of shape " + Shapes.str(vs) + " cannot be broadcast to shape " + Shapes.str(shape));
            if (declared[k] != 1)
                throw new TheonException.ShapeError(name() + ": the value of shape " + Shapes.str(vs) + " has size 1 on axis " + k + " where the result has "
                        + target + ", but its type " + node.input(0).type() + " does not declare that axis broadcastable; declare it with static size 1"
                        + " so the broadcast is known when the graph is built");
        }
        NDArray out = Op.reuse(outs, 0, value.dtype(), shape);
        value.broadcastTo(shape).copyInto(out);
    }

    /** The value gets the output gradient summed over the axes it was broadcast along; the dims are disconnected. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable value = inputs.get(0);
        List<Variable> r = InputGrads.none(inputs.size());
        r.set(0, InputGrads.of(dev.theon.grad.Grad.sumToType(gz.get(0), value.type()), value));
        return r;
    }

    @Override public String toString() { return name(); }
}
