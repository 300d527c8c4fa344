package dev.theon.backend;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.tensor.NDArray;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Runs a graph node by node with each op's reference {@code perform}.
 * <p>
 * Buffer plan ({@link BufferPlan}): each node output owned by its op is computed into a buffer that it shares with
 * other intermediates whose lives do not overlap; a node the destroy handler marked computes into its destroyed
 * input's array. Each call takes a frame of buffers from a pool (so concurrent calls never share intermediates), and
 * the next call that gets the frame writes into the same arrays. An array is kept in a frame only when it is a
 * node's own storage and is not handed to the caller: returned outputs belong to the caller. A returned output that
 * shares storage with an argument, a shared value, a constant or an earlier output is copied first.
 */
final class ReferenceExecutable implements Executable {
    private final FunctionGraph graph;
    private final CompileOptions options;
    private final List<Apply> nodes;
    private final int[][] nodeIn;
    private final int[][] nodeOut;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final NDArray[] constants;  // by slot, null where not a constant
    private final FunctionGraph.Destroy[] destroys;  // by node, null where it computes into fresh storage
    private final BufferPlan plan;
    private final ConcurrentLinkedDeque<NDArray[]> frames = new ConcurrentLinkedDeque<>();

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
        int nSlots = slot.size();
        constants = new NDArray[nSlots];
        slot.forEach((v, s) -> { if (v instanceof Constant c) constants[s] = c.value(); });
        inputSlots = graph.inputs().stream().mapToInt(slot::get).toArray();
        outputSlots = graph.outputs().stream().mapToInt(slot::get).toArray();
        nodeIn = new int[nodes.size()][];
        nodeOut = new int[nodes.size()][];
        destroys = new FunctionGraph.Destroy[nodes.size()];
        for (int k = 0; k < nodes.size(); k++) {
            nodeIn[k] = nodes.get(k).inputs().stream().mapToInt(slot::get).toArray();
            nodeOut[k] = nodes.get(k).outputs().stream().mapToInt(slot::get).toArray();
            destroys[k] = graph.destroyed(nodes.get(k));
        }
        plan = new BufferPlan(graph, nodes, nSlots, nodeIn, nodeOut, outputSlots);
    }

    @Override public FunctionGraph graph() { return graph; }

    @Override public NDArray[] run(NDArray[] inputs) {
        NDArray[] frame = frames.poll();
        if (frame == null) frame = new NDArray[plan.count];
        NDArray[] values = constants.clone();
        for (int i = 0; i < inputSlots.length; i++) values[inputSlots[i]] = inputs[i];
        for (int k = 0; k < nodes.size(); k++) {
            Apply node = nodes.get(k);
            int[] ins = nodeIn[k];
            NDArray[] in = new NDArray[ins.length];
            for (int i = 0; i < ins.length; i++) in[i] = values[ins[i]];
            int[] bufs = plan.buffer[k];
            NDArray[] out = new NDArray[bufs.length];
            for (int j = 0; j < bufs.length; j++) if (bufs[j] >= 0) out[j] = frame[bufs[j]];
            FunctionGraph.Destroy d = destroys[k];
            NDArray target = d != null && canOverwrite(in, d.input(), inputs) ? in[d.input()] : null;
            if (d != null) out[d.output()] = target;
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
                if (bufs[j] < 0) continue;
                // keep the array for the buffer's next value only when it is storage of its own
                boolean own = true;
                for (int i = 0; i < in.length; i++) own &= in[i] == target || !out[j].sharesStorageWith(in[i]);
                if (own) frame[bufs[j]] = out[j];
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
        // returned arrays belong to the caller: the frame forgets them
        for (int b = 0; b < frame.length; b++) {
            NDArray a = frame[b];
            if (a == null) continue;
            for (NDArray r : result) if (a.sharesStorageWith(r)) { frame[b] = null; break; }
        }
        frames.offer(frame);
        return result;
    }

    /**
     * Whether input {@code k} may be overwritten now: the destroy handler proved that nothing else reads it; this
     * checks what only the values can tell, that no other operand of the node shares its storage in another layout
     * and that it is no argument of the call.
     */
    private static boolean canOverwrite(NDArray[] in, int k, NDArray[] arguments) {
        NDArray t = in[k];
        for (int i = 0; i < in.length; i++) {
            if (i == k || !in[i].sharesStorageWith(t)) continue;
            if (in[i] != t && !(in[i].offset() == t.offset() && java.util.Arrays.equals(in[i].strides(), t.strides())
                    && java.util.Arrays.equals(in[i].shape(), t.shape()))) return false;
        }
        for (NDArray a : arguments) if (a.sharesStorageWith(t)) return false;
        return true;
    }

    private void checkFinite(Apply node, int j, NDArray a, NDArray[] in) {
        if (!a.dtype().isFloat()) return;
        long n = a.size();
        for (long i = 0; i < n; i++) {
            double v = a.flatDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new TheonException.NanError("node " + describeNode(node, in) + " produced " + (Double.isNaN(v) ? "NaN" : "Inf")
                        + " in output " + j + " at flat index " + i
                        + (node.op() instanceof Composite c ? insideFused(c, in, a.shape(), i) : "")
                        + " (" + options.mode() + (options.nanGuard() ? ", nan_guard" : "") + " checks every intermediate)");
            }
        }
    }

    /** Which operation of a fused node first gave a non-finite value at flat index {@code flat}, computed again in double. */
    private static String insideFused(Composite c, NDArray[] in, long[] shape, long flat) {
        double[] v = new double[c.nInputs() + c.body().size()];
        for (int i = 0; i < c.nInputs(); i++) v[i] = in[i].broadcastTo(shape).flatDouble(flat);
        for (int k = 0; k < c.body().size(); k++) {
            Composite.Instr ins = c.body().get(k);
            int[] a = ins.args();
            double x = v[a[0]], y = a.length > 1 ? v[a[1]] : 0, z = a.length > 2 ? v[a[2]] : 0;
            double r = ins.op().apply(x, y, z);
            v[c.nInputs() + k] = r;
            boolean argsFinite = Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
            if (!Double.isFinite(r) && argsFinite) {
                StringBuilder b = new StringBuilder("; inside the fused node, ").append(ins.op().fname()).append('(');
                for (int i = 0; i < a.length; i++) b.append(i > 0 ? ", " : "").append(v[a[i]]);
                return b.append(") gave ").append(r).append(" first").toString();
            }
        }
        return "";
    }

    static String describeNode(Apply node, NDArray[] in) {
        return NodeText.of(node, in == null ? null : i -> in[i] == null ? null : in[i].shape());
    }

    @Override public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("backend reference (device cpu), floatX ").append(options.floatX()).append(", mode ").append(options.mode())
                .append(options.checkNaN() ? ", NaN/Inf checked after every node" : "").append('\n');
        int intermediates = 0;
        for (int[] bs : plan.buffer) for (int x : bs) if (x >= 0) intermediates++;
        if (!nodes.isEmpty()) b.append("  buffers: ").append(plan.count).append(" arrays for ").append(intermediates).append(" node outputs\n");
        for (int k = 0; k < nodes.size(); k++) {
            Apply n = nodes.get(k);
            FunctionGraph.Destroy d = destroys[k];
            b.append(String.format("  %3d  %-40s %-28s reference perform%s%n", k, describeNode(n, null), n.outputs().get(0).type(),
                    d == null ? "" : ", output " + d.output() + " computed into input " + d.input()));
        }
        if (nodes.isEmpty()) b.append("  (no nodes: outputs are inputs or constants)\n");
        return b.toString();
    }
}
