package dev.theon.backend;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Runs a graph node by node with each op's reference {@code perform}.
 * <p>
 * Buffer plan: each call takes a frame from a pool (so concurrent calls never share intermediates); a frame keeps
 * the arrays its nodes produced, and the next call that gets the frame hands each node its previous array to write
 * into. An array is kept only when it is the node's own storage: never when it views an input of the node or of the
 * function, and never when it is, or is viewed by, a returned output (the caller owns those). A returned output that
 * shares storage with an argument, a shared value, a constant or an earlier output is copied first.
 */
final class ReferenceExecutable implements Executable {
    private final FunctionGraph graph;
    private final CompileOptions options;
    private final List<Apply> nodes;
    private final int nSlots;
    private final int[][] nodeIn;
    private final int[][] nodeOut;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final NDArray[] constants;  // by slot, null where not a constant
    private final ConcurrentLinkedDeque<NDArray[][]> frames = new ConcurrentLinkedDeque<>();

    ReferenceExecutable(FunctionGraph graph, CompileOptions options) {
        this.graph = graph;
        this.options = options;
        this.nodes = graph.nodes();
        Map<Variable, Integer> slot = new IdentityHashMap<>();
        for (Variable v : graph.inputs()) slot.putIfAbsent(v, slot.size());
        for (Apply n : nodes) {
            for (Variable v : n.inputs()) slot.putIfAbsent(v, slot.size());
            for (Variable v : n.outputs()) slot.putIfAbsent(v, slot.size());
        }
        for (Variable v : graph.outputs()) slot.putIfAbsent(v, slot.size());
        nSlots = slot.size();
        constants = new NDArray[nSlots];
        slot.forEach((v, s) -> { if (v instanceof Constant c) constants[s] = c.value(); });
        inputSlots = graph.inputs().stream().mapToInt(slot::get).toArray();
        outputSlots = graph.outputs().stream().mapToInt(slot::get).toArray();
        nodeIn = new int[nodes.size()][];
        nodeOut = new int[nodes.size()][];
        for (int k = 0; k < nodes.size(); k++) {
            nodeIn[k] = nodes.get(k).inputs().stream().mapToInt(slot::get).toArray();
            nodeOut[k] = nodes.get(k).outputs().stream().mapToInt(slot::get).toArray();
        }
    }

    @Override public FunctionGraph graph() { return graph; }

    @Override public NDArray[] run(NDArray[] inputs) {
        NDArray[][] frame = frames.poll();
        if (frame == null) frame = new NDArray[nodes.size()][];
        NDArray[] values = constants.clone();
        for (int i = 0; i < inputSlots.length; i++) values[inputSlots[i]] = inputs[i];
        for (int k = 0; k < nodes.size(); k++) {
            Apply node = nodes.get(k);
            int[] ins = nodeIn[k];
            NDArray[] in = new NDArray[ins.length];
            for (int i = 0; i < ins.length; i++) in[i] = values[ins[i]];
            NDArray[] out = frame[k] != null ? frame[k] : new NDArray[nodeOut[k].length];
            frame[k] = out;
            try {
                node.op().perform(node, in, out);
            } catch (TheonException.ShapeError e) {
                throw new TheonException.ShapeError(e.getMessage() + "\n  in node " + describeNode(node, in));
            } catch (TheonException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new TheonException.RuntimeError("node " + describeNode(node, in) + " failed: " + e, e);
            }
            for (int j = 0; j < out.length; j++) {
                if (out[j] == null) throw new IllegalStateException(node.op().name() + " did not produce output " + j);
                values[nodeOut[k][j]] = out[j];
                if (options.checkNaN()) checkFinite(node, j, out[j], in);
            }
        }
        NDArray[] result = new NDArray[outputSlots.length];
        for (int i = 0; i < result.length; i++) {
            NDArray r = values[outputSlots[i]];
            boolean aliased = false;
            for (NDArray a : inputs) aliased |= r.sharesStorageWith(a);
            for (int j = 0; j < i; j++) aliased |= r.sharesStorageWith(result[j]);
            for (NDArray c : constants) aliased |= c != null && r.sharesStorageWith(c);  // a constant or a view of one
            result[i] = aliased ? r.copy() : r;
        }
        // keep for reuse only arrays that are a node's own storage and are not handed to the caller
        for (int k = 0; k < nodes.size(); k++) {
            NDArray[] out = frame[k];
            for (int j = 0; j < out.length; j++) {
                NDArray a = out[j];
                boolean keep = true;
                for (NDArray r : result) keep &= !a.sharesStorageWith(r);
                for (int s : nodeIn[k]) keep &= !a.sharesStorageWith(values[s]);
                for (NDArray x : inputs) keep &= !a.sharesStorageWith(x);
                if (!keep) out[j] = null;
            }
        }
        frames.offer(frame);
        return result;
    }

    private void checkFinite(Apply node, int j, NDArray a, NDArray[] in) {
        if (!a.dtype().isFloat()) return;
        long n = a.size();
        for (long i = 0; i < n; i++) {
            double v = a.flatDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new TheonException.NanError("node " + describeNode(node, in) + " produced " + (Double.isNaN(v) ? "NaN" : "Inf")
                        + " in output " + j + " at flat index " + i + " (" + options.mode() + (options.nanGuard() ? ", nan_guard" : "") + " checks every intermediate)");
            }
        }
    }

    static String describeNode(Apply node, NDArray[] in) {
        StringBuilder b = new StringBuilder(node.op().name()).append('(');
        for (int i = 0; i < node.inputs().size(); i++) {
            Variable v = node.input(i);
            if (i > 0) b.append(", ");
            b.append(v.name() != null ? v.name() : v instanceof Constant c && c.value().size() == 1 ? String.valueOf(c.value().flatDouble(0)) : "<" + v.type().dtype() + ">");
            if (in != null && in[i] != null) b.append(' ').append(Shapes.str(in[i].shape()));
        }
        b.append(')');
        Variable out = node.outputs().get(0);
        if (out.name() != null) b.append(" -> '").append(out.name()).append('\'');
        if (out.createdAt() != null) b.append(" created at ").append(out.createdAt());
        return b.toString();
    }

    @Override public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("backend reference (device cpu), floatX ").append(options.floatX()).append(", mode ").append(options.mode())
                .append(options.checkNaN() ? ", NaN/Inf checked after every node" : "").append('\n');
        int k = 0;
        for (Apply n : nodes) {
            b.append(String.format("  %3d  %-40s %-28s reference perform%n", k++, describeNode(n, null), n.outputs().get(0).type()));
        }
        if (nodes.isEmpty()) b.append("  (no nodes: outputs are inputs or constants)\n");
        return b.toString();
    }
}
