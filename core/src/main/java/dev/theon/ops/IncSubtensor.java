package dev.theon.ops;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.grad.Grad;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Theano's {@code set_subtensor} / {@code inc_subtensor}: a new tensor equal to {@code x} with the region
 * {@code x[entries]} set to, or incremented by, {@code y} broadcast to the region's shape. Works for basic and
 * advanced entries alike. With repeated advanced indices increments accumulate ({@code np.add.at}) and for set the
 * last write wins. {@code x} itself is never written: the op copies it first. Inputs: {@code x}, {@code y}, then the
 * symbolic positions and index arrays in entry order.
 */
public record IncSubtensor(List<Index> entries, boolean set) implements Op {

    public IncSubtensor { entries = List.copyOf(entries); }

    @Override public String name() {
        return (IndexTypes.isAdvanced(entries) ? "advanced_" : "") + (set ? "set" : "inc") + "_subtensor"
                + Indexing.brackets(entries, List.of(), "{", "}");
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() < 2) throw typeError(in, "expects the tensor x, the values y and the index inputs");
        TensorType x = in.get(0).type(), y = in.get(1).type();
        long[] region = IndexTypes.regionShape(this, entries, in, 2);
        if (!IndexTypes.writableInto(y.dtype(), x.dtype()))
            throw typeError(in, "y of dtype " + y.dtype() + " cannot be written into x of dtype " + x.dtype()
                    + " without a downcast; expected y of dtype " + x.dtype() + " or narrower (cast y first: T.cast(y, DType."
                    + x.dtype().name() + "))");
        long[] ys = y.shape();
        if (ys.length > region.length)
            throw typeError(in, "y of rank " + ys.length + " cannot be broadcast to the region of shape " + Shapes.str(region)
                    + "; expected y of rank " + region.length + " or less");
        for (int d = 0; d < ys.length; d++) {
            long r = region[d + region.length - ys.length];
            if (ys[d] >= 0 && ys[d] != 1 && r >= 0 && ys[d] != r)
                throw typeError(in, "y of shape " + Shapes.str(ys) + " cannot be broadcast to the region of shape " + Shapes.str(region));
        }
        return List.of(x);
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] out) {
        NDArray x = in[0], y = in[1];
        NDArray result = Op.reuse(out, 0, x.dtype(), x.shape());
        x.copyInto(result);
        Region region = Region.of(this, entries, result, Arrays.copyOfRange(in, 2, in.length));
        long[] shape = region.shape();
        NDArray ys = broadcastY(y, node.input(1).type(), shape);
        boolean exact = result.dtype().isDiscrete() && y.dtype().isDiscrete();  // int64 stays exact through long
        region.forEach(ys, (target, values) -> {
            long n = target.size();
            if (n == 0) return;
            Odometer it = new Odometer(target.shape(), target, values);
            long[] p = it.pos;
            for (long i = 0; i < n; i++) {
                if (exact) target.writeLong(p[0], set ? values.readLong(p[1]) : target.readLong(p[0]) + values.readLong(p[1]));
                else target.writeDouble(p[0], set ? values.readDouble(p[1]) : target.readDouble(p[0]) + values.readDouble(p[1]));
                it.next();
            }
        });
        out[0] = result;
    }

    /**
     * y broadcast to the region with the static rule of {@link Elemwise#runtimeBroadcast}: a dim of y that is not
     * statically 1 may not stretch at run time.
     */
    private NDArray broadcastY(NDArray y, TensorType yType, long[] region) {
        long[] ys = y.shape(), declared = yType.shape();
        for (int d = 0; d < ys.length; d++) {
            long r = region[d + region.length - ys.length];
            if (ys[d] == r) continue;
            if (ys[d] != 1)
                throw new TheonException.ShapeError(name() + ": y of shape " + Shapes.str(ys) + " cannot be broadcast to the region of shape "
                        + Shapes.str(region) + " (axis " + d + " of y has size " + ys[d] + ", the region has " + r + ")");
            if (declared[d] != 1)
                throw new TheonException.ShapeError(name() + ": y of shape " + Shapes.str(ys) + " has size 1 on axis " + d + " where the region "
                        + Shapes.str(region) + " has " + r + ", but its type " + yType + " does not declare that axis broadcastable;"
                        + " declare it with static size 1 so the broadcast is known when the graph is built");
        }
        return y.broadcastTo(region);
    }

    /**
     * Gradients, Theano's rules. With respect to x: inc passes the output gradient on; set passes it on with the region
     * zeroed, since those elements of x were overwritten. With respect to y: the output gradient over the region,
     * summed back to y's type where y was broadcast into it. With repeated advanced indices an increment reaches the
     * output once per repetition, so y gets each one's gradient; for set only the last write survives, yet, as in
     * Theano, every duplicate position of y still gets the gradient of its target element (the set form with repeated
     * indices is therefore not the derivative of the function computed). Integer x or y, and the index inputs, are
     * disconnected.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0), y = inputs.get(1);
        List<Variable> index = inputs.subList(2, inputs.size());
        List<Variable> grads = new ArrayList<>(Collections.nCopies(inputs.size(), (Variable) null));
        if (x.dtype().isDiscrete()) return grads;
        Variable g = T.cast(gz.get(0), x.dtype());
        grads.set(0, set ? Indexing.write(entries, true, g, Constant.scalar(x.dtype(), 0), index) : g);
        if (!y.dtype().isDiscrete())
            grads.set(1, T.cast(Grad.sumToType(Indexing.read(entries, g, index), y.type()), y.dtype()));
        return grads;
    }

    @Override public String pp(List<String> args) {
        String region = args.get(0) + Indexing.brackets(entries, args.subList(2, args.size()), "[", "]");
        return (set ? "set_subtensor(" : "inc_subtensor(") + region + ", " + args.get(1) + ")";
    }

    @Override public String toString() { return name(); }
}
