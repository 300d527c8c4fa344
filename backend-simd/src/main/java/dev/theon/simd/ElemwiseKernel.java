package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.ops.Elemwise;
import dev.theon.simd.gen.ElemKernel;
import dev.theon.simd.gen.ElemSpec;
import dev.theon.simd.gen.KernelCache;
import dev.theon.simd.gen.VectorPlan;
import dev.theon.simd.gen.VectorPlan.Access;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs an Elemwise or Composite node with a generated kernel. The broadcast inputs and the outputs are seen through
 * one {@link Layout} (dims merged where every array allows), the generated kernel runs along its innermost dim, and the
 * rows (or, for one long row, chunks of it) are shared among the pool's threads when the work is large.
 * <p>
 * A vector kernel is generated for how each input is read along the row: unit stride (a vector load) or stride 0 (one
 * value broadcast for the row, hoisted out of the loop). An input with any other inner stride (a transposed or
 * strided view) is first gathered, chunk by chunk, into a per-thread buffer, so the arithmetic stays vectorised.
 * The kernel for the layout the static types predict (contiguous inputs) is generated when the function is
 * compiled; another layout generates (or finds in the cache) its own kernel on first use.
 */
final class ElemwiseKernel implements Kernel {
    /** Work (elements times instructions) a thread should get before a node is split among threads. */
    private static final long PER_PART = 1 << 20;
    /** Elements per gather chunk for strided inputs, and the smallest chunk a long row is split into. */
    private static final int CHUNK = 4096;

    private final Apply node;
    private final ElemSpec spec;
    private final int nIn, nOut;
    private final DType[] outDTypes;
    private final int[] inBytes;
    private final long[][] staticShapes;
    private final String refusal;                 // why there is no vector form, or null
    private final KernelCache.Compiled scalar;    // the kernel when there is no vector form
    private final KernelCache.Compiled predicted; // the vector kernel for the predicted layout, or null
    private final Access[] predictedAccess;
    private final ConcurrentHashMap<List<Access>, KernelCache.Compiled> byAccess = new ConcurrentHashMap<>();
    private final int cost;                        // rough work per element, for the parallel threshold

    ElemwiseKernel(Apply node, ElemSpec spec) {
        this.node = node;
        this.spec = spec;
        this.nIn = spec.nInputs();
        this.nOut = spec.nOutputs();
        this.outDTypes = new DType[nOut];
        for (int j = 0; j < nOut; j++) outDTypes[j] = spec.output(j);
        this.inBytes = new int[nIn];
        this.staticShapes = new long[nIn][];
        for (int i = 0; i < nIn; i++) { inBytes[i] = node.input(i).dtype().byteSize(); staticShapes[i] = node.input(i).type().shape(); }
        String why = null;
        KernelCache.Compiled pred = null;
        Access[] access = null;
        try {
            VectorPlan.floatType(spec);
            access = predictedAccess();
            pred = KernelCache.vector(spec, access);
            byAccess.put(List.of(access), pred);
        } catch (VectorPlan.Unsupported u) {
            why = u.getMessage();
        }
        this.refusal = why;
        this.predicted = pred;
        this.predictedAccess = access;
        this.scalar = why != null ? KernelCache.scalar(spec) : null;
        this.cost = 1 + spec.expr().body().size();
    }

    /** The access of each input for the layout its static type suggests: contiguous, unknown dims above 1. */
    private Access[] predictedAccess() {
        long[] outShape = node.output(0).type().shape().clone();
        for (int d = 0; d < outShape.length; d++) if (outShape[d] < 0) outShape[d] = 2;
        long[][] strides = new long[nIn + 1][];
        for (int i = 0; i < nIn; i++) {
            long[] s = staticShapes[i].clone();
            for (int d = 0; d < s.length; d++) if (s[d] < 0) s[d] = outShape[d + outShape.length - s.length];
            strides[i] = broadcastStrides(s, dev.theon.tensor.Shapes.cStrides(s), outShape);
        }
        strides[nIn] = dev.theon.tensor.Shapes.cStrides(outShape);
        Layout l = Layout.of(outShape, strides);
        Access[] a = new Access[nIn];
        for (int i = 0; i < nIn; i++) a[i] = l.innerStride(i) == 0 ? Access.BCAST : Access.VEC;
        return a;
    }

    /** Strides of an array of shape {@code s} seen broadcast to {@code shape}: 0 on added and size-1 dims. */
    private static long[] broadcastStrides(long[] s, long[] st, long[] shape) {
        long[] r = new long[shape.length];
        int lead = shape.length - s.length;
        for (int d = lead; d < shape.length; d++) r[d] = s[d - lead] == 1 ? 0 : st[d - lead];
        return r;
    }

    /** The output shape, with the reference's broadcasting rules (the reference raises the errors). */
    private long[] shape(NDArray[] in) {
        int rank = 0;
        for (NDArray a : in) rank = Math.max(rank, a.ndim());
        long[] out = new long[rank];
        java.util.Arrays.fill(out, 1);
        boolean suspicious = false;
        for (NDArray a : in) {
            int r = a.ndim();
            for (int k = 0; k < r; k++) {
                long s = a.shape(k);
                int d = k + rank - r;
                if (s != 1) {
                    if (out[d] != 1 && out[d] != s) suspicious = true;
                    out[d] = s;
                }
            }
        }
        for (int i = 0; i < in.length && !suspicious; i++) {
            int r = in[i].ndim();
            for (int k = 0; k < r; k++) if (in[i].shape(k) == 1 && out[k + rank - r] != 1 && staticShapes[i][k] != 1) suspicious = true;
        }
        return suspicious ? Elemwise.runtimeBroadcast(node, in) : out;
    }

    @Override public void run(NDArray[] in, NDArray[] out) {
        long[] shape = shape(in);
        NDArray[] outs = new NDArray[nOut];
        for (int j = 0; j < nOut; j++) outs[j] = Op.reuse(out, j, outDTypes[j], shape);
        long size = dev.theon.tensor.Shapes.size(shape);
        if (size == 0) return;
        if (flat(in, outs, size)) return;
        long[][] strides = new long[nIn + nOut][];
        for (int i = 0; i < nIn; i++) strides[i] = broadcastStrides(in[i].shape(), in[i].strides(), shape);
        for (int j = 0; j < nOut; j++) strides[nIn + j] = outs[j].strides();
        Layout l = Layout.of(shape, strides);
        MemorySegment[] segs = new MemorySegment[nIn + nOut];
        long[] base = new long[nIn + nOut];
        for (int i = 0; i < nIn; i++) { segs[i] = in[i].segment(); base[i] = in[i].offset(); }
        for (int j = 0; j < nOut; j++) { segs[nIn + j] = outs[j].segment(); base[nIn + j] = outs[j].offset(); }

        KernelCache.Compiled k = scalar;
        boolean[] gather = new boolean[nIn];
        boolean anyGather = false;
        if (refusal == null) {
            Access[] access = new Access[nIn];
            for (int i = 0; i < nIn; i++) {
                long s = l.innerStride(i);
                access[i] = s == 0 ? Access.BCAST : Access.VEC;
                gather[i] = s != 0 && s != 1;
                anyGather |= gather[i];
            }
            k = kernelFor(access);
        }
        long inner = l.inner(), rows = l.outerCount();
        int parts = Pool.partsFor(size * cost, PER_PART);
        long chunk = inner;
        if (anyGather) chunk = Math.min(inner, CHUNK);
        else if (parts > 1 && rows < 4L * parts) chunk = Math.max(CHUNK, ((inner + 4L * parts - 1) / (4L * parts) + 63) / 64 * 64);
        long perRow = (inner + chunk - 1) / chunk;
        long units = rows * perRow;
        Work w = new Work(l, k, segs, base, gather, anyGather, inner, chunk, perRow);
        if (parts <= 1 || units < 2) { w.run(0, units); return; }
        int p = (int) Math.min(parts, units);
        Pool.run(p, (part, n) -> w.run(units * part / n, units * (part + 1) / n));
    }

    /**
     * The common case, without the general layout machinery: every input is contiguous with the output's shape or
     * holds a single value, so the whole array is one row. Returns false when the inputs are not like that.
     */
    private boolean flat(NDArray[] in, NDArray[] outs, long size) {
        int n = nIn + nOut;
        MemorySegment[] segs = new MemorySegment[n];
        long[] offs = new long[n], strides = new long[n];
        Access[] access = refusal == null ? new Access[nIn] : null;
        for (int i = 0; i < nIn; i++) {
            NDArray a = in[i];
            long s = a.size();
            if (s == 1) strides[i] = 0;
            else if (s == size && a.isContiguous()) strides[i] = 1;
            else return false;
            if (access != null) access[i] = strides[i] == 0 ? Access.BCAST : Access.VEC;
            segs[i] = a.segment();
            offs[i] = a.offset();
        }
        for (int j = 0; j < nOut; j++) { segs[nIn + j] = outs[j].segment(); offs[nIn + j] = outs[j].offset(); strides[nIn + j] = 1; }
        KernelCache.Compiled k = access == null ? scalar : kernelFor(access);
        int parts = Pool.partsFor(size * cost, PER_PART);
        if (parts == 1) {
            Object scratch = k.scratchCount() > 0 ? Scratch.get().stages(k.f(), k.scratchCount()) : null;
            k.kernel().run(segs, offs, strides, scratch, size);
            return true;
        }
        long blocks = (size + 63) / 64;
        Pool.run(parts, (p, q) -> {
            long from = blocks * p / q * 64, to = Math.min(size, blocks * (p + 1) / q * 64);
            if (from >= to) return;
            long[] o = new long[n];
            for (int a = 0; a < n; a++) o[a] = offs[a] + from * strides[a];
            Object scratch = k.scratchCount() > 0 ? Scratch.get().stages(k.f(), k.scratchCount()) : null;
            k.kernel().run(segs, o, strides, scratch, to - from);
        });
        return true;
    }

    /** The kernel last used, and its access: most nodes see one layout call after call. */
    private record Memo(Access[] access, KernelCache.Compiled kernel) {}
    private volatile Memo last;

    private KernelCache.Compiled kernelFor(Access[] access) {
        if (java.util.Arrays.equals(access, predictedAccess)) return predicted;
        Memo m = last;
        if (m != null && java.util.Arrays.equals(access, m.access)) return m.kernel;
        List<Access> key = List.of(access);
        KernelCache.Compiled c = byAccess.get(key);
        if (c != null) { last = new Memo(access.clone(), c); return c; }
        try {
            c = KernelCache.vector(spec, access);
        } catch (VectorPlan.Unsupported u) {
            throw new IllegalStateException("a vectorisable expression was refused for " + key + ": " + u.getMessage(), u);
        }
        byAccess.put(key, c);
        last = new Memo(access.clone(), c);
        return c;
    }

    /** One call's work: units are (row, chunk) pairs in C order; each part runs a contiguous range of them. */
    private final class Work {
        final Layout l;
        final KernelCache.Compiled k;
        final MemorySegment[] segs;
        final long[] base;
        final boolean[] gather;
        final boolean anyGather;
        final long inner, chunk, perRow;

        Work(Layout l, KernelCache.Compiled k, MemorySegment[] segs, long[] base, boolean[] gather, boolean anyGather, long inner, long chunk, long perRow) {
            this.l = l; this.k = k; this.segs = segs; this.base = base; this.gather = gather; this.anyGather = anyGather;
            this.inner = inner; this.chunk = chunk; this.perRow = perRow;
        }

        void run(long u0, long u1) {
            if (u0 >= u1) return;
            int n = segs.length;
            Scratch sc = Scratch.get();
            MemorySegment[] s = segs.clone();
            long[] offs = new long[n], strides = new long[n], rowOff = new long[n];
            for (int a = 0; a < n; a++) strides[a] = l.innerStride(a);
            Object stageScratch = k.scratchCount() > 0 ? sc.stages(k.f(), k.scratchCount()) : null;
            long row = u0 / perRow, c = u0 % perRow;
            long[] idx = l.outerIndex(row);
            l.outerOffsets(row, rowOff);
            ElemKernel kernel = k.kernel();
            for (long u = u0; u < u1; u++) {
                long c0 = c * chunk, len = Math.min(chunk, inner - c0);
                for (int a = 0; a < n; a++) offs[a] = base[a] + rowOff[a] + c0 * strides[a];
                if (anyGather) {
                    for (int a = 0; a < nIn; a++) {
                        if (!gather[a]) { s[a] = segs[a]; continue; }
                        MemorySegment g = sc.gather(a, len * inBytes[a]);
                        Copy.run(segs[a], offs[a], strides[a], g, 0, 1, len, inBytes[a]);
                        s[a] = g;
                        offs[a] = 0;
                    }
                }
                kernel.run(s, offs, strides, stageScratch, len);
                if (++c == perRow) { c = 0; l.nextOuter(idx, rowOff); }
            }
        }
    }

    /** Per-thread buffers: gathered inputs and the arrays multi-stage kernels pass values through. */
    static final class Scratch {
        private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
        private MemorySegment[] gathers = new MemorySegment[0];
        private float[][] f32 = new float[0][];
        private double[][] f64 = new double[0][];

        static Scratch get() { return LOCAL.get(); }

        MemorySegment gather(int input, long bytes) {
            if (input >= gathers.length) gathers = java.util.Arrays.copyOf(gathers, input + 1);
            MemorySegment g = gathers[input];
            if (g == null || g.byteSize() < bytes) gathers[input] = g = Arena.ofAuto().allocate(Math.max(bytes, (long) CHUNK * 8), 64);
            return g;
        }

        Object stages(DType f, int count) {
            if (f == DType.FLOAT32) {
                if (f32.length < count) {
                    float[][] a = java.util.Arrays.copyOf(f32, count);
                    for (int i = f32.length; i < count; i++) a[i] = new float[VectorPlan.BLOCK];
                    f32 = a;
                }
                return f32;
            }
            if (f64.length < count) {
                double[][] a = java.util.Arrays.copyOf(f64, count);
                for (int i = f64.length; i < count; i++) a[i] = new double[VectorPlan.BLOCK];
                f64 = a;
            }
            return f64;
        }
    }

    /** Each position's inputs are read before its outputs are written, block by block: safe in place. */
    @Override public boolean computesInPlace() { return true; }

    @Override public String describe() {
        if (refusal != null) return "fused " + scalar.summary() + " (" + refusal + ")";
        StringBuilder b = new StringBuilder("fused ").append(predicted.summary());
        if (byAccess.size() > 1) b.append(", +").append(byAccess.size() - 1).append(" kernel(s) for other input layouts");
        return b.toString();
    }
}
