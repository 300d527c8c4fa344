package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Op;
import dev.theon.graph.Variable;
import dev.theon.ops.ARange;
import dev.theon.ops.AdvancedSubtensor;
import dev.theon.ops.Alloc;
import dev.theon.ops.Composite;
import dev.theon.ops.CrossentropyCategorical1Hot;
import dev.theon.ops.CrossentropyCategorical1HotGrad;
import dev.theon.ops.CrossentropySoftmax1Hot;
import dev.theon.ops.CrossentropySoftmax1HotDx;
import dev.theon.ops.Dot;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Eye;
import dev.theon.ops.Gemm;
import dev.theon.ops.IncSubtensor;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.MatMul;
import dev.theon.ops.Outer;
import dev.theon.ops.Reduce;
import dev.theon.ops.Softmax;
import dev.theon.ops.TensorDot;

import java.util.Arrays;
import java.util.Set;

/**
 * The destroy handler: marks a node to compute an output into the storage of one of its inputs
 * ({@link FunctionGraph#markDestroys}) when that is provably safe:
 * <ul>
 *   <li>the node is elementwise (each element of the input is read before the same element of the output is
 *       written), a {@link Gemm} writing into its C, or a set/inc_subtensor writing into its x (the result is x
 *       with a region replaced or incremented, so x's storage can hold it when x is not also read as y or as an
 *       index);</li>
 *   <li>the input is an intermediate: not a function input (the caller owns those, and shared values must stay intact
 *       until the call commits), not a constant, not a graph output;</li>
 *   <li>its storage is its own: it is computed by an op known to return fresh arrays, never a view of another value
 *       (a transpose or a reshape of something still needed);</li>
 *   <li>this node is its only reader, and the input has the output's dtype and static shape.</li>
 * </ul>
 * Backends that do not compute in place ignore the marks, which is always correct.
 */
public final class Inplace {
    static final GlobalRewrite REWRITE = GlobalRewrite.of("inplace", Phase.INPLACE, Inplace::run, "inplace", "destroy");

    private Inplace() {}

    /** Ops whose outputs are always newly allocated (or reused) arrays of their own, never views of an input. */
    private static final Set<Class<? extends Op>> FRESH = Set.of(Elemwise.class, Composite.class, Dot.class, Gemm.class, Reduce.class,
            Softmax.class, LogSoftmax.class, Alloc.class, TensorDot.class, MatMul.class, Outer.class,
            CrossentropyCategorical1Hot.class, CrossentropySoftmax1Hot.class, CrossentropySoftmax1HotDx.class, CrossentropyCategorical1HotGrad.class,
            ARange.class, Eye.class, AdvancedSubtensor.class, IncSubtensor.class);

    /**
     * Whether every output of {@code op} is storage of its own (never a view of an input), so that it may be
     * overwritten, or handed on to a later node, once nothing reads it.
     */
    public static boolean ownsOutputs(Op op) { return FRESH.contains(op.getClass()); }

    static boolean run(FunctionGraph g, RewriteContext ctx) {
        boolean changed = false;
        for (Apply node : g.nodes()) {
            if (g.destroyed(node) != null) continue;
            Op op = node.op();
            boolean elementwise = op instanceof Elemwise || op instanceof Composite;
            if (op instanceof IncSubtensor) {
                Variable x = node.input(0);
                if (!node.inputs().subList(1, node.inputs().size()).contains(x) && destroyable(g, node, x)) {
                    g.markDestroys(node, 0, 0);
                    ctx.fired(REWRITE.name(), node.op().name() + " computes output 0 into input 0");
                    changed = true;
                }
                continue;
            }
            if (!elementwise && !(op instanceof Gemm)) continue;
            int candidates = elementwise ? node.inputs().size() : 1;
            search:
            for (int k = 0; k < candidates; k++) {
                Variable in = node.input(k);
                if (!destroyable(g, node, in)) continue;
                for (int j = 0; j < node.outputs().size(); j++) {
                    Variable out = node.output(j);
                    if (out.dtype() == in.dtype() && Arrays.equals(out.type().shape(), in.type().shape())) {
                        g.markDestroys(node, j, k);
                        ctx.fired(REWRITE.name(), node.op().name() + " computes output " + j + " into input " + k);
                        changed = true;
                        break search;
                    }
                }
            }
        }
        return changed;
    }

    /** {@code in} is an intermediate with storage of its own that only {@code node} reads. */
    static boolean destroyable(FunctionGraph g, Apply node, Variable in) {
        if (in.owner() == null || !ownsOutputs(in.owner().op())) return false;
        for (FunctionGraph.Use u : g.clients(in)) if (u.node() != node) return false;
        return true;
    }
}
