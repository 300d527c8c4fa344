package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.ops.DimShuffle;
import dev.theon.ops.Flatten;
import dev.theon.ops.Join;
import dev.theon.ops.Reshape;
import dev.theon.ops.Shape;
import dev.theon.ops.ShapeI;
import dev.theon.ops.Split;
import dev.theon.ops.Squeeze;
import dev.theon.ops.Subtensor;
import dev.theon.tensor.NDArray;

/**
 * Ops that move no data (transposes, new axes, basic slices, splits, shapes) run their own perform, which makes a
 * view: there is nothing to vectorise, so they are not counted as fallbacks. reshape and flatten of an input whose
 * layout cannot be viewed with the new shape make their copy with the tiled {@link Copy} first; concatenation copies
 * each input into its slice of the output the same way.
 */
final class ShapeKernels {
    private ShapeKernels() {}

    static Kernel forNode(Apply node) {
        return switch (node.op()) {
            case DimShuffle d -> new View(node);
            case Squeeze s -> new View(node);
            case Subtensor s -> new View(node);
            case Split s -> new View(node);
            case Shape s -> new View(node);
            case ShapeI s -> new View(node);
            case Reshape r -> new Relayout(node);
            case Flatten f -> new Relayout(node);
            case Join j -> new Concat(node, j.axis());
            default -> null;
        };
    }

    static final class View implements Kernel {
        private final Apply node;
        View(Apply node) { this.node = node; }
        @Override public void run(NDArray[] in, NDArray[] out) { node.op().perform(node, in, out); }
        @Override public String describe() { return "view: its own perform (moves no data)"; }
    }

    static final class Relayout implements Kernel {
        private final Apply node;
        Relayout(Apply node) { this.node = node; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            if (!in[0].isContiguous()) {
                NDArray[] c = in.clone();
                c[0] = Copy.contiguous(in[0]);
                node.op().perform(node, c, out);
                return;
            }
            node.op().perform(node, in, out);
        }

        @Override public String describe() { return "view, or a tiled copy when the input's layout cannot be viewed"; }
    }

    static final class Concat implements Kernel {
        private final Apply node;
        private final int axis;
        Concat(Apply node, int axis) { this.node = node; this.axis = axis; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            var dt = node.output(0).dtype();
            long[] shape = in[0].shape();
            for (int i = 0; i < in.length; i++) {
                long[] s = in[i].shape();
                boolean fits = in[i].dtype() == dt && s.length == shape.length;
                for (int d = 0; fits && d < s.length; d++) fits = d == axis || s[d] == shape[d];
                // other dtypes convert, and bad shapes raise, in the reference perform
                if (!fits) { node.op().perform(node, in, out); return; }
                if (i > 0) shape[axis] += s[axis];
            }
            NDArray o = Op.reuse(out, 0, dt, shape);
            long start = 0;
            for (NDArray x : in) {
                long len = x.shape(axis);
                Copy.into(x, o.slice(axis, start, start + len, 1));
                start += len;
            }
        }

        @Override public String describe() { return "concatenation by tiled copies"; }
    }
}
