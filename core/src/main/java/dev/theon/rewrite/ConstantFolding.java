package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * A node whose inputs are all constants is computed once, at compile time, with the op's reference perform, and its
 * outputs become constants. Not folded: a node that fails (its error is raised when the function runs, as without
 * folding), and a result much larger than its inputs (a fill or an alloc of a big shape stays a node, so a function
 * does not carry a large constant around).
 */
final class ConstantFolding {
    private ConstantFolding() {}

    /** Results up to this many elements are folded whatever the size of the inputs. */
    static final long SMALL = 1024;

    static final LocalRewrite REWRITE = LocalRewrite.of("constant_folding", Phase.CANONICALIZE, List.of(), ConstantFolding::fold, "constant_folding");

    static List<Variable> fold(Apply node, FunctionGraph g) {
        if (node.inputs().isEmpty()) return null;
        NDArray[] in = new NDArray[node.inputs().size()];
        long inSize = 0;
        for (int i = 0; i < in.length; i++) {
            if (!(node.input(i) instanceof Constant c)) return null;
            in[i] = c.value();
            inSize += in[i].size();
        }
        NDArray[] out = new NDArray[node.outputs().size()];
        try {
            node.op().perform(node, in, out);
        } catch (RuntimeException e) {
            return null;
        }
        List<Variable> r = new ArrayList<>(out.length);
        for (int i = 0; i < out.length; i++) {
            NDArray v = out[i];
            if (v == null || v.size() > Math.max(SMALL, inSize)) return null;
            TensorType t = node.output(i).type();
            // the exact shape is now known; it stays compatible with the old static type
            r.add(new Constant(TensorType.of(t.dtype(), v.shape()), v.copy(), null));
        }
        return r;
    }
}
