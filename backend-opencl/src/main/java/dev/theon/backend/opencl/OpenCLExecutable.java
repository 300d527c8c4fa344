package dev.theon.backend.opencl;

import dev.theon.TheonException;
import dev.theon.backend.CompileOptions;
import dev.theon.backend.Executable;
import dev.theon.backend.NodeText;
import dev.theon.backend.Slots;
import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.ops.Dot;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Gemm;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.MatMul;
import dev.theon.ops.Outer;
import dev.theon.ops.TensorDot;
import dev.theon.ops.Reduce;
import dev.theon.ops.Shape;
import dev.theon.ops.ShapeI;
import dev.theon.ops.Softmax;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A graph compiled for one OpenCL device: a schedule of steps (kernels, views, host fallbacks and the transfers
 * between host and device), fixed at compile time so {@link #describe} shows exactly what a call does.
 * <p>
 * Where values live: explicit inputs arrive on the host and are uploaded when a kernel reads them; shared variables
 * are read from their device copy ({@link Residency}), uploaded only when their host value changed; constants are
 * uploaded once per function; node results stay on the device in buffers from the device's pool, each given back
 * after its last reader was enqueued. Results the host needs (outputs, update values, inputs of ops without a
 * kernel) are downloaded right after the kernel that makes them, without waiting; a call waits only where the host
 * reads a value (a fallback op) and, at its end, for its outputs.
 * <p>
 * Contracts as the reference backend: returned arrays are fresh (an output that is an input, a constant or an
 * earlier output is copied; borrowed outputs are refused when compiling, since every call downloads into new arrays), every call has its own intermediates (calls from several threads share only the
 * in-order queue and the pools), NaN/Inf checks after every node in DEBUG mode or with nan_guard, and errors name
 * the node.
 */
final class OpenCLExecutable implements Executable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final FunctionGraph graph;
    private final CompileOptions options;
    private final ClDevice device;
    private final int nSlots;
    private final int[] inputSlots, outputSlots;
    private final NDArray[] constants;
    private final SharedVariable[] sharedOfSlot;
    private final String[] labels;
    private final DType[] dtypes;
    private final int[] ranks;
    private final Map<Variable, Integer> slotOf;
    private final List<Step> steps = new ArrayList<>();
    private final int[][] releaseAfter;
    private final SharedVariable[] updateOfOutput;  // by output index, null for a plain output
    private final boolean[] keepForUpdate;          // by slot: the device copy becomes a shared variable's
    private final DeviceTensor[] deviceConstants;   // uploaded on first use, released with the executable
    private int hostFallbacks;

    OpenCLExecutable(FunctionGraph graph, CompileOptions options, ClDevice device) {
        this.graph = graph;
        this.options = options;
        this.device = device;
        List<Apply> nodes = graph.nodes();
        Map<Variable, Integer> slot = Slots.number(graph);
        nSlots = slot.size();
        constants = new NDArray[nSlots];
        sharedOfSlot = new SharedVariable[nSlots];
        labels = new String[nSlots];
        dtypes = new DType[nSlots];
        ranks = new int[nSlots];
        slotOf = slot;
        slot.forEach((v, s) -> {
            if (v instanceof Constant c) constants[s] = c.value();
            if (v instanceof SharedVariable sv) sharedOfSlot[s] = sv;
            labels[s] = label(v);
            dtypes[s] = v.dtype();
            ranks[s] = v.ndim();
        });
        inputSlots = graph.inputs().stream().mapToInt(slot::get).toArray();
        outputSlots = graph.outputs().stream().mapToInt(slot::get).toArray();
        List<SharedVariable> updates = options.updates();
        updateOfOutput = new SharedVariable[outputSlots.length];
        for (int j = 0; j < updates.size(); j++) updateOfOutput[outputSlots.length - updates.size() + j] = updates.get(j);

        // how each node runs
        Copiers copiers = new Copiers(device.fp64);
        List<Object> how = new ArrayList<>();  // DeviceOp, or a String saying why the host runs it
        for (Apply n : nodes) how.add(choose(n, copiers));

        // where each value is needed
        boolean[] onDevice = new boolean[nSlots], needDevice = new boolean[nSlots], needHost = new boolean[nSlots];
        for (int k = 0; k < nodes.size(); k++) {
            Apply n = nodes.get(k);
            for (int i = 0; i < n.inputs().size(); i++) {
                int s = slot.get(n.input(i));
                if (how.get(k) instanceof DeviceOp op) { if (op.hostInput(i)) needHost[s] = true; else needDevice[s] = true; }
                else if (!isShapeOnly(n)) needHost[s] = true;
            }
            if (how.get(k) instanceof DeviceOp) for (Variable v : n.outputs()) onDevice[slot.get(v)] = true;
        }
        for (int s : outputSlots) needHost[s] = true;
        keepForUpdate = new boolean[nSlots];
        for (int i = 0; i < outputSlots.length; i++) if (updateOfOutput[i] != null && onDevice[outputSlots[i]]) keepForUpdate[outputSlots[i]] = true;

        // the schedule: transfers of inputs first, then each node followed by the transfers of its results
        for (int s : inputSlots) {
            if (!needDevice[s]) continue;
            steps.add(sharedOfSlot[s] != null ? new SharedIn(s, sharedOfSlot[s]) : new Upload(s, "explicit input"));
        }
        for (int s = 0; s < nSlots; s++) if (constants[s] != null && needDevice[s]) steps.add(new ConstantIn(s));
        for (int k = 0; k < nodes.size(); k++) {
            Apply n = nodes.get(k);
            int[] ins = n.inputs().stream().mapToInt(slot::get).toArray(), outs = n.outputs().stream().mapToInt(slot::get).toArray();
            if (how.get(k) instanceof DeviceOp op) {
                steps.add(new DeviceNode(k, n, op, ins, outs));
                for (int s : outs) if (needHost[s]) steps.add(new Download(s, copiers.get(dtypes[s], ranks[s])));
            } else {
                boolean shapeOnly = isShapeOnly(n);
                if (!shapeOnly) hostFallbacks++;
                steps.add(new HostNode(k, n, ins, outs, shapeOnly, (String) how.get(k)));
                for (int s : outs) if (needDevice[s]) steps.add(new Upload(s, "result of a host op"));
            }
        }
        // build every kernel of the function at once
        List<KernelSource> sources = new ArrayList<>();
        for (Object h : how) if (h instanceof DeviceOp op) sources.addAll(op.sources());
        sources.addAll(copiers.sources());
        Map<String, ClKernel> built = device.kernels(sources);
        for (Object h : how) if (h instanceof DeviceOp op) op.bind(built);
        copiers.bind(built);

        // give back each device value after its last reader
        int[] lastUse = new int[nSlots];
        java.util.Arrays.fill(lastUse, -1);
        for (int i = 0; i < steps.size(); i++) for (int s : steps.get(i).deviceReads()) lastUse[s] = i;
        for (int i = 0; i < steps.size(); i++) for (int s : steps.get(i).deviceWrites()) if (lastUse[s] < i) lastUse[s] = i;
        List<List<Integer>> rel = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) rel.add(new ArrayList<>());
        for (int s = 0; s < nSlots; s++) if (lastUse[s] >= 0) rel.get(lastUse[s]).add(s);
        releaseAfter = new int[steps.size()][];
        for (int i = 0; i < steps.size(); i++) releaseAfter[i] = rel.get(i).stream().mapToInt(Integer::intValue).toArray();

        deviceConstants = new DeviceTensor[nSlots];
        DeviceTensor[] held = deviceConstants;
        CLEANER.register(this, () -> { for (DeviceTensor t : held) if (t != null) t.buffer().release(); });
    }

    /** A DeviceOp for the node, or the reason it runs on the host. */
    private Object choose(Apply n, Copiers copiers) {
        if (isShapeOnly(n)) return "reads only the shape of its input";
        String problem = float64Problem(n, describeNode(n, null), device.fp64, device.label());
        if (problem != null && hasKernel(n)) throw new TheonException.CompileError(problem);
        DeviceOp op = switch (n.op()) {
            case Elemwise e -> ElementwiseOp.of(n, device.fp64);
            case Composite c -> ElementwiseOp.of(n, device.fp64);
            case Reduce r -> new ReduceOp(n, copiers, device);
            case Softmax s -> new SoftmaxOp(n, copiers, device.cpu);
            case LogSoftmax s -> new SoftmaxOp(n, copiers, device.cpu);
            case Dot d -> ProductOp.of(n, device, copiers);
            case MatMul m -> ProductOp.of(n, device, copiers);
            case TensorDot t -> ProductOp.of(n, device, copiers);
            case Outer o -> ProductOp.of(n, device, copiers);
            case Gemm g -> ProductOp.of(n, device, copiers);
            default -> ViewOp.of(n, copiers);
        };
        if (op == null) {
            return n.op() instanceof Dot ? "no OpenCL kernel for dot with an operand of rank " + n.input(1).ndim() + " on the right"
                    : "no OpenCL kernel for " + n.op().name();
        }
        return op;
    }

    /** Whether the node's op has a device form (views and products may still decline a particular node). */
    private static boolean hasKernel(Apply n) {
        return n.op() instanceof Elemwise || n.op() instanceof Composite || n.op() instanceof Reduce || n.op() instanceof Softmax
                || n.op() instanceof LogSoftmax || n.op() instanceof Dot || n.op() instanceof MatMul || n.op() instanceof TensorDot
                || n.op() instanceof Outer || n.op() instanceof Gemm;
    }

    /** Why a node cannot run on a device without doubles, or null when it can. */
    static String float64Problem(Apply n, String nodeText, boolean deviceFp64, String deviceLabel) {
        if (deviceFp64) return null;
        boolean uses = false;
        for (Variable v : n.inputs()) uses |= v.dtype() == DType.FLOAT64;
        for (Variable v : n.outputs()) uses |= v.dtype() == DType.FLOAT64;
        if (!uses) return null;
        return "backend opencl: node " + nodeText + " computes in float64, but device " + deviceLabel + " does not support float64"
                + " (no cl_khr_fp64); compile with floatX=float32 (Theon.options().floatX(DType.FLOAT32)) and float32 data, or choose"
                + " another device with opencl.device";
    }

    private static boolean isShapeOnly(Apply n) { return n.op() instanceof Shape || n.op() instanceof ShapeI; }

    private static String label(Variable v) {
        if (v instanceof SharedVariable s) return "shared " + (s.name() != null ? s.name() : "#" + s.id());
        if (v instanceof Constant c) return c.value().size() == 1 ? "constant " + c.value().flatDouble(0) : "constant " + Shapes.str(c.value().shape());
        return v.name() != null ? v.name() : "<" + v.type() + ">";
    }

    @Override public FunctionGraph graph() { return graph; }

    // ---------------------------------------------------------------- the steps

    /** What one call keeps: each value on the device and on the host, and the downloads still in flight. */
    private final class Frame {
        final ClCall call = new ClCall(device);
        final DeviceTensor[] dev = new DeviceTensor[nSlots];
        final NDArray[] host = new NDArray[nSlots];
        final ClCall.Download[] pending = new ClCall.Download[nSlots];
        final DeviceTensor[] kept = new DeviceTensor[nSlots];

        NDArray hostValue(int s) {
            if (pending[s] != null) {
                call.await(pending[s]);
                pending[s] = null;
            }
            return host[s];
        }

        long[] shapeOf(int s) { return host[s] != null ? host[s].shape() : dev[s] != null ? dev[s].shape() : null; }
    }

    private sealed interface Step permits Upload, SharedIn, ConstantIn, DeviceNode, HostNode, Download {
        void run(Frame f);
        String describe();
        default int[] deviceReads() { return new int[0]; }
        default int[] deviceWrites() { return new int[0]; }
    }

    /** A host value sent to the device. */
    private final class Upload implements Step {
        final int slot;
        final String why;
        Upload(int slot, String why) { this.slot = slot; this.why = why; }
        @Override public void run(Frame f) { f.dev[slot] = f.call.upload(f.hostValue(slot)); }
        @Override public String describe() { return "transfer to device: " + labels[slot] + " (" + why + ", every call)"; }
        @Override public int[] deviceWrites() { return new int[]{slot}; }
    }

    /** A shared variable's device copy, uploaded only when its host value is not the one the copy was made from. */
    private final class SharedIn implements Step {
        final int slot;
        final SharedVariable shared;
        SharedIn(int slot, SharedVariable shared) { this.slot = slot; this.shared = shared; }
        @Override public void run(Frame f) {
            NDArray value = f.host[slot];
            DeviceTensor t = device.residency.lookup(shared, value);
            if (t == null) {
                t = f.call.upload(value);
                device.residency.put(shared, value, t);
            }
            f.dev[slot] = t;
        }
        @Override public String describe() {
            return labels[slot] + ": kept on the device between calls; transfer to device only when its host value was set since";
        }
        @Override public int[] deviceWrites() { return new int[]{slot}; }
    }

    private final class ConstantIn implements Step {
        final int slot;
        ConstantIn(int slot) { this.slot = slot; }
        @Override public void run(Frame f) {
            DeviceTensor t;
            synchronized (deviceConstants) {
                t = deviceConstants[slot];
                if (t == null) {
                    ClCall once = new ClCall(device);
                    t = once.upload(constants[slot]);
                    once.finish();
                    deviceConstants[slot] = t;
                }
            }
            t.buffer().retain();
            f.dev[slot] = t;
        }
        @Override public String describe() { return "transfer to device: " + labels[slot] + " (once, on the first call)"; }
        @Override public int[] deviceWrites() { return new int[]{slot}; }
    }

    private final class DeviceNode implements Step {
        final int index;
        final Apply node;
        final DeviceOp op;
        final int[] ins, outs;
        DeviceNode(int index, Apply node, DeviceOp op, int[] ins, int[] outs) {
            this.index = index; this.node = node; this.op = op; this.ins = ins; this.outs = outs;
        }
        @Override public void run(Frame f) {
            DeviceTensor[] in = new DeviceTensor[ins.length];
            NDArray[] host = new NDArray[ins.length];
            for (int i = 0; i < ins.length; i++) {
                if (op.hostInput(i)) host[i] = f.hostValue(ins[i]);
                else in[i] = f.dev[ins[i]];
            }
            DeviceTensor[] out = op.run(f.call, node, in, host);
            for (int j = 0; j < outs.length; j++) f.dev[outs[j]] = out[j];
            if (options.checkNaN()) for (int j = 0; j < outs.length; j++) checkFinite(f, node, j, out[j]);
        }
        @Override public String describe() {
            return String.format("%3d  %-44s %-26s %s", index, describeNode(node, null), node.outputs().get(0).type(), op.describe());
        }
        @Override public int[] deviceReads() {
            List<Integer> r = new ArrayList<>();
            for (int i = 0; i < ins.length; i++) if (!op.hostInput(i)) r.add(ins[i]);
            return r.stream().mapToInt(Integer::intValue).toArray();
        }
        @Override public int[] deviceWrites() { return outs; }
    }

    private final class HostNode implements Step {
        final int index;
        final Apply node;
        final int[] ins, outs;
        final boolean shapeOnly;
        final String why;
        HostNode(int index, Apply node, int[] ins, int[] outs, boolean shapeOnly, String why) {
            this.index = index; this.node = node; this.ins = ins; this.outs = outs; this.shapeOnly = shapeOnly; this.why = why;
        }
        @Override public void run(Frame f) {
            NDArray[] in = new NDArray[ins.length];
            for (int i = 0; i < ins.length; i++) {
                if (shapeOnly) {
                    long[] s = f.shapeOf(ins[i]);
                    in[i] = f.host[ins[i]] != null ? f.host[ins[i]] : Layout.shapeShadow(node.input(i).dtype(), s);
                } else {
                    in[i] = f.hostValue(ins[i]);
                }
            }
            NDArray[] out = new NDArray[outs.length];
            node.op().perform(node, in, out);
            for (int j = 0; j < outs.length; j++) {
                if (out[j] == null) throw new IllegalStateException(node.op().name() + " did not produce output " + j);
                f.host[outs[j]] = out[j];
                if (options.checkNaN()) checkFinite(node, j, out[j]);
            }
        }
        @Override public String describe() {
            return String.format("%3d  %-44s %-26s %s", index, describeNode(node, null), node.outputs().get(0).type(),
                    shapeOnly ? "on the host (" + why + "; no transfer)" : "FALLBACK on the host, reference perform (" + why + ")");
        }
        @Override public int[] deviceReads() {
            // an op that reads only shapes keeps the device value alive until it has looked at it
            if (!shapeOnly) return new int[0];
            return ins;
        }
    }

    /** A device value read back to the host, started without waiting. */
    private final class Download implements Step {
        final int slot;
        final Copier copier;
        Download(int slot, Copier copier) { this.slot = slot; this.copier = copier; }
        @Override public void run(Frame f) {
            DeviceTensor t = f.dev[slot];
            f.pending[slot] = f.call.download(t, copier);
            f.host[slot] = f.pending[slot].host;
            if (keepForUpdate[slot]) {
                t.buffer().retain();
                f.kept[slot] = t;
            }
        }
        @Override public String describe() {
            List<String> what = new ArrayList<>();
            for (int i = 0; i < outputSlots.length; i++) {
                if (outputSlots[i] != slot) continue;
                what.add(updateOfOutput[i] != null ? "update of " + nameOf(updateOfOutput[i]) + " (the device copy stays for the next call; the host value is refreshed at commit)"
                        : "output " + i + (graph.output(i).name() != null ? " ('" + graph.output(i).name() + "')" : ""));
            }
            if (what.isEmpty()) what.add(labels[slot] + " (read by a host op)");
            return "transfer to host: " + String.join(", ", what);
        }
        @Override public int[] deviceReads() { return new int[]{slot}; }
    }

    private static String nameOf(SharedVariable s) { return s.name() != null ? s.name() : "shared #" + s.id(); }

    // ---------------------------------------------------------------- a call

    @Override public NDArray[] run(NDArray[] inputs) {
        Frame f = new Frame();
        for (int i = 0; i < inputSlots.length; i++) f.host[inputSlots[i]] = inputs[i];
        for (int s = 0; s < nSlots; s++) if (constants[s] != null) f.host[s] = constants[s];
        try {
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                try {
                    st.run(f);
                } catch (TheonException.ShapeError e) {
                    throw st instanceof DeviceNode d ? new TheonException.ShapeError(e.getMessage() + "\n  in node " + describeNode(d.node, f))
                            : st instanceof HostNode h ? new TheonException.ShapeError(e.getMessage() + "\n  in node " + describeNode(h.node, f)) : e;
                } catch (TheonException e) {
                    throw e;
                } catch (RuntimeException e) {
                    String where = st instanceof DeviceNode d ? "node " + describeNode(d.node, f) : st instanceof HostNode h ? "node " + describeNode(h.node, f) : st.describe();
                    throw new TheonException.RuntimeError("backend opencl: " + where + " failed: " + e, e);
                }
                for (int s : releaseAfter[i]) {
                    if (f.dev[s] != null) { f.dev[s].buffer().release(); f.dev[s] = null; }
                }
            }
            List<ClCall.Download> waits = new ArrayList<>();
            for (int s : outputSlots) if (f.pending[s] != null) waits.add(f.pending[s]);
            f.call.awaitAll(waits);
            for (int s : outputSlots) f.pending[s] = null;
            NDArray[] result = new NDArray[outputSlots.length];
            for (int i = 0; i < result.length; i++) {
                NDArray r = f.host[outputSlots[i]];
                boolean aliased = false;
                for (NDArray a : inputs) aliased |= r.sharesStorageWith(a);
                for (int j = 0; j < i; j++) aliased |= r.sharesStorageWith(result[j]);
                for (NDArray c : constants) aliased |= c != null && r.sharesStorageWith(c);
                result[i] = aliased ? r.copy() : r;
            }
            for (int i = 0; i < result.length; i++) {
                int s = outputSlots[i];
                if (updateOfOutput[i] != null && f.kept[s] != null) device.residency.put(updateOfOutput[i], result[i], f.kept[s]);
            }
            return result;
        } finally {
            f.call.finish();
            for (int s = 0; s < nSlots; s++) {
                if (f.dev[s] != null) f.dev[s].buffer().release();
                if (f.kept[s] != null) f.kept[s].buffer().release();
            }
        }
    }

    private void checkFinite(Frame f, Apply node, int j, DeviceTensor t) {
        if (!t.dtype().isFloat()) return;
        ClCall.Download d = f.call.download(t, copierFor(t));
        f.call.await(d);
        checkFinite(node, j, d.host);
    }

    private final Map<String, Copier> nanCopiers = new java.util.concurrent.ConcurrentHashMap<>();

    /** Copy kernels for NaN checks of strided results (DEBUG only), built on first need. */
    private Copier copierFor(DeviceTensor t) {
        return nanCopiers.computeIfAbsent(t.dtype() + "/" + t.ndim(), k -> {
            Copiers cs = new Copiers(device.fp64);
            Copier c = cs.get(t.dtype(), t.ndim());
            cs.bind(device.kernels(cs.sources()));
            return c;
        });
    }

    private void checkFinite(Apply node, int j, NDArray a) {
        if (!a.dtype().isFloat()) return;
        long n = a.size();
        for (long i = 0; i < n; i++) {
            double v = a.flatDouble(i);
            if (Double.isNaN(v) || Double.isInfinite(v))
                throw new TheonException.NanError("node " + describeNode(node, null) + " produced " + (Double.isNaN(v) ? "NaN" : "Inf")
                        + " in output " + j + " at flat index " + i + " (" + options.mode() + (options.nanGuard() ? ", nan_guard" : "") + " checks every intermediate)");
        }
    }

    private String describeNode(Apply node, Frame f) {
        return NodeText.of(node, f == null ? null : i -> {
            Variable v = node.input(i);
            return slotOf.containsKey(v) ? f.shapeOf(slotOf.get(v)) : null;
        });
    }

    @Override public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("backend opencl (device ").append(device.label()).append("), floatX ").append(options.floatX()).append(", mode ").append(options.mode())
                .append(options.checkNaN() ? ", NaN/Inf checked after every node" : "").append('\n');
        for (Step st : steps) {
            String line = st.describe();
            b.append(st instanceof DeviceNode || st instanceof HostNode ? "  " : "       ").append(line).append('\n');
        }
        if (graph.nodes().isEmpty()) b.append("  (no nodes: outputs are inputs or constants)\n");
        if (hostFallbacks > 0) b.append("  ").append(hostFallbacks).append(" node(s) fall back to the host, with the transfers shown\n");
        return b.toString();
    }
}
