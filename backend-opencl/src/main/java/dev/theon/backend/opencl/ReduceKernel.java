package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.ops.Reduce;
import dev.theon.tensor.DType;

import java.util.List;
import java.util.Map;

/**
 * Reductions of a strided (rows x columns) view: {@code out[o] = fold over i of x[off + o * so + i * si]}.
 * <ul>
 *   <li>"lanes": one work-item per output, looping over its row; for many short rows, or for column sums
 *       ({@code so == 1}, e.g. a bias gradient) where neighbouring work-items read neighbouring addresses;</li>
 *   <li>"tree": work-groups fold slices of a row in registers, then in local memory as a tree; when rows are long
 *       and few, several groups share a row and write partial results that a second pass of the same kernel folds.</li>
 * </ul>
 * Accumulation: bool and integer inputs in exact int64 (sum, prod, max, min), floats in double where the device
 * has it (as the reference, which rounds once at the end) and in float where it does not; mean divides by the count
 * at the end; all and any fold truth values.
 */
final class ReduceKernel {
    static final int GROUP = 128;

    private final Reduce.Kind kind;
    private final DType acc;
    private final boolean cpu;
    private final KernelSource lanes, first, partial, second;
    private ClKernel kLanes, kFirst, kPartial, kSecond;

    ReduceKernel(Reduce.Kind kind, DType in, DType out, ClDevice device) {
        this.kind = kind;
        this.acc = accumulator(kind, in, device.fp64);
        this.cpu = device.cpu;
        boolean fp64 = in == DType.FLOAT64 || out == DType.FLOAT64 || acc == DType.FLOAT64;
        String tag = kind.label() + "_" + CTypes.tag(in) + "_" + CTypes.tag(out), accTag = kind.label() + "_" + CTypes.tag(acc) + "_" + CTypes.tag(out);
        if (cpu) {
            this.lanes = null;
            this.first = KernelSource.of("reduce_chunks_" + tag, chunksSource(in, out, true), fp64);
            this.partial = KernelSource.of("reduce_chunkpart_" + tag, chunksSource(in, acc, false), fp64);
            this.second = KernelSource.of("reduce_chunks_" + accTag, chunksSource(acc, out, true), fp64);
        } else {
            this.lanes = KernelSource.of("reduce_lanes_" + tag, lanesSource(in, out, true), fp64);
            this.first = KernelSource.of("reduce_tree_" + tag, treeSource(in, out, true), fp64);
            this.partial = KernelSource.of("reduce_part_" + tag, treeSource(in, acc, false), fp64);
            this.second = KernelSource.of("reduce_tree_" + accTag, treeSource(acc, out, true), fp64);
        }
    }

    static DType accumulator(Reduce.Kind kind, DType in, boolean deviceFp64) {
        if (kind == Reduce.Kind.ALL || kind == Reduce.Kind.ANY) return DType.INT64;
        if (in.isDiscrete() && kind != Reduce.Kind.MEAN) return DType.INT64;
        if (in == DType.FLOAT64 || kind == Reduce.Kind.MEAN && in.isDiscrete()) return DType.FLOAT64;
        return deviceFp64 ? DType.FLOAT64 : DType.FLOAT32;
    }

    List<KernelSource> sources() { return lanes == null ? List.of(first, partial, second) : List.of(lanes, first, partial, second); }

    void bind(Map<String, ClKernel> built) {
        if (lanes != null) kLanes = built.get(lanes.name());
        kFirst = built.get(first.name());
        kPartial = built.get(partial.name());
        kSecond = built.get(second.name());
    }

    String describe() {
        return first.name() + (cpu ? " (contiguous chunks per work-item" : " (work-group trees; per-lane") + " and two-pass variants), accumulating in " + CTypes.of(acc);
    }

    /** Folds the {@code rows x cols} view of {@code x} into {@code y} (contiguous, {@code rows} elements); {@code count} divides a mean. */
    void run(ClCall c, DeviceTensor x, long rows, long cols, long so, long si, DeviceTensor y, double count) {
        if (rows == 0) return;
        if (cpu) runChunks(c, x, rows, cols, so, si, y, count);
        else runTrees(c, x, rows, cols, so, si, y, count);
    }

    /**
     * GPUs: neighbouring work-items read neighbouring elements. One work-item per row for short rows or column
     * sums; else work-group trees, several groups per row (and a second pass) when rows are long and few.
     */
    private void runTrees(ClCall c, DeviceTensor x, long rows, long cols, long so, long si, DeviceTensor y, double count) {
        ClDevice d = c.device;
        Object cnt = countArg(count);
        if (cols <= 32 || (rows >= (long) d.computeUnits * 256 && (so == 1 || cols <= 256))) {
            List<Object> args = List.of(rows, cols, x.buffer(), x.offset(), so, si, y.buffer(), cnt);
            c.launch1d(kLanes, rows, args);
            return;
        }
        long wanted = Math.max(1, (long) d.computeUnits * 8 / rows);  // enough groups to fill the device
        long groups = Math.max(1, Math.min(wanted, (cols + GROUP * 4 - 1) / (GROUP * 4)));
        if (groups == 1) {
            List<Object> args = List.of(rows, cols, 1L, x.buffer(), x.offset(), so, si, y.buffer(), cnt);
            c.launch(kFirst, new long[]{GROUP, rows}, new long[]{GROUP, 1}, args);
            return;
        }
        DeviceTensor part = c.alloc(acc, new long[]{rows, groups});
        try {
            c.launch(kPartial, new long[]{GROUP * groups, rows}, new long[]{GROUP, 1},
                    List.of(rows, cols, groups, x.buffer(), x.offset(), so, si, part.buffer(), cnt));
            c.launch(kSecond, new long[]{GROUP, rows}, new long[]{GROUP, 1},
                    List.of(rows, groups, 1L, part.buffer(), 0L, groups, 1L, y.buffer(), cnt));
        } finally {
            part.buffer().release();
        }
    }

    /**
     * CPUs: each work-item folds a contiguous chunk of a row (in vector registers when the row is contiguous), so
     * the code is a plain SIMD loop; rows are split into chunks (and a second pass folds them) only when there are
     * too few rows to keep every core busy.
     */
    private void runChunks(ClCall c, DeviceTensor x, long rows, long cols, long so, long si, DeviceTensor y, double count) {
        Object cnt = countArg(count);
        long target = (long) c.device.computeUnits * 16;
        long chunks = Math.max(1, Math.min((cols + CHUNK - 1) / CHUNK, target / rows));
        long size = (cols + chunks - 1) / chunks;
        if (chunks == 1) {
            c.launch1d(kFirst, rows, List.of(rows, cols, 1L, Math.max(cols, 1), x.buffer(), x.offset(), so, si, y.buffer(), cnt));
            return;
        }
        DeviceTensor part = c.alloc(acc, new long[]{rows, chunks});
        try {
            c.launch1d(kPartial, rows * chunks, List.of(rows, cols, chunks, size, x.buffer(), x.offset(), so, si, part.buffer(), cnt));
            c.launch1d(kSecond, rows, List.of(rows, chunks, 1L, chunks, part.buffer(), 0L, chunks, 1L, y.buffer(), cnt));
        } finally {
            part.buffer().release();
        }
    }

    /** The smallest chunk a work-item folds when a row is split. */
    static final long CHUNK = 8192;

    private Object countArg(double count) {
        return switch (acc) {
            case FLOAT64 -> count;
            case FLOAT32 -> (float) count;
            default -> (long) count;  // unused: only a mean divides, and a mean accumulates in a float
        };
    }

    // ---------------------------------------------------------------- generation

    private String identity() {
        boolean f = acc.isFloat();
        return switch (kind) {
            case SUM, MEAN, ANY -> "0";
            case PROD, ALL -> "1";
            case MAX -> f ? "-INFINITY" : "LONG_MIN";
            case MIN -> f ? "INFINITY" : "LONG_MAX";
        };
    }

    /** How a value read from a {@code from} array enters the fold. */
    private String load(String v, DType from) {
        if (kind == Reduce.Kind.ALL || kind == Reduce.Kind.ANY) return "((long) (" + v + " != 0))";
        return from == acc ? v : "((" + CTypes.of(acc) + ") " + v + ")";
    }

    private String fold(String a, String v) {
        boolean f = acc.isFloat();
        return switch (kind) {
            case SUM, MEAN -> a + " + " + v;
            case PROD -> a + " * " + v;
            case MAX -> f ? "(isnan(" + v + ") || " + v + " > " + a + ") ? " + v + " : " + a : "max(" + a + ", " + v + ")";
            case MIN -> f ? "(isnan(" + v + ") || " + v + " < " + a + ") ? " + v + " : " + a : "min(" + a + ", " + v + ")";
            case ALL -> a + " & " + v;
            case ANY -> a + " | " + v;
        };
    }

    private String store(String a, DType to, boolean fin) {
        if (!fin) return a;
        String v = kind == Reduce.Kind.MEAN ? "(" + a + " / count)" : a;
        return CTypes.convert(v, CTypes.of(acc), to);
    }

    private String lanesSource(DType from, DType to, boolean fin) {
        String at = CTypes.of(acc);
        return "__kernel void $NAME(const long O, const long I, __global const " + CTypes.of(from) + "* x, const long off, const long so, const long si,\n"
                + "    __global " + CTypes.of(to) + "* y, const " + at + " count) {\n"
                + "  const long o = get_global_id(0);\n"
                + "  if (o < O) {\n"
                + "    " + at + " a = " + identity() + ";\n"
                + "    const __global " + CTypes.of(from) + "* row = x + off + o * so;\n"
                + "    for (long i = 0; i < I; i++) { const " + at + " v = " + load("row[i * si]", from) + "; a = " + fold("a", "v") + "; }\n"
                + "    y[o] = " + store("a", to, fin) + ";\n"
                + "  }\n}\n";
    }

    /** Whether the fold can run in vector registers: sums and products, whose vector forms are elementwise. */
    private boolean vectorFold() { return kind == Reduce.Kind.SUM || kind == Reduce.Kind.MEAN || kind == Reduce.Kind.PROD; }

    /** Work-item w folds chunk (w % G) of row (w / G): items [g*C, g*C + C). */
    private String chunksSource(DType from, DType to, boolean fin) {
        String at = CTypes.of(acc), ft = CTypes.of(from);
        int w = acc.byteSize() == 8 ? 8 : 16;
        String av = at + w;
        StringBuilder b = new StringBuilder();
        b.append("__kernel void $NAME(const long O, const long I, const long G, const long C, __global const ").append(ft)
                .append("* x, const long off, const long so, const long si,\n    __global ").append(CTypes.of(to)).append("* y, const ").append(at).append(" count) {\n")
                .append("  const long w = get_global_id(0);\n")
                .append("  if (w >= O * G) return;\n")
                .append("  const long o = w / G, lo = (w % G) * C, hi = min(lo + C, I);\n")
                .append("  const __global ").append(ft).append("* row = x + off + o * so;\n")
                .append("  ").append(at).append(" a = ").append(identity()).append(";\n")
                .append("  long i = lo;\n");
        if (vectorFold()) {
            String conv = from == acc ? "vload" + w + "(0, row + i)" : "convert_" + av + "(vload" + w + "(0, row + i))";
            b.append("  if (si == 1) {\n")
                    .append("    ").append(av).append(" va = (").append(av).append(") ").append(identity()).append(";\n")
                    .append("    for (; i + ").append(w).append(" <= hi; i += ").append(w).append(") va = ").append(fold("va", conv)).append(";\n")
                    .append("    ").append(at).append(" lane[").append(w).append("];\n")
                    .append("    vstore").append(w).append("(va, 0, lane);\n")
                    .append("    for (int j = 0; j < ").append(w).append("; j++) a = ").append(fold("a", "lane[j]")).append(";\n")
                    .append("  }\n");
        }
        b.append("  for (; i < hi; i++) { const ").append(at).append(" v = ").append(load("row[i * si]", from)).append("; a = ").append(fold("a", "v")).append("; }\n")
                .append("  y[w] = ").append(store("a", to, fin)).append(";\n")
                .append("}\n");
        return b.toString();
    }

    /** Group g of row o folds items g*L + t, stepping G*L; the group's tree leaves the result in part[0]. */
    private String treeSource(DType from, DType to, boolean fin) {
        String at = CTypes.of(acc);
        return "__kernel __attribute__((reqd_work_group_size(" + GROUP + ", 1, 1)))\n"
                + "void $NAME(const long O, const long I, const long G, __global const " + CTypes.of(from) + "* x, const long off, const long so, const long si,\n"
                + "    __global " + CTypes.of(to) + "* y, const " + at + " count) {\n"
                + "  __local " + at + " part[" + GROUP + "];\n"
                + "  const long o = get_group_id(1), g = get_group_id(0);\n"
                + "  const int t = get_local_id(0);\n"
                + "  const __global " + CTypes.of(from) + "* row = x + off + o * so;\n"
                + "  " + at + " a = " + identity() + ";\n"
                + "  for (long i = g * " + GROUP + " + t; i < I; i += G * " + GROUP + ") { const " + at + " v = " + load("row[i * si]", from) + "; a = " + fold("a", "v") + "; }\n"
                + "  part[t] = a;\n"
                + "  barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  for (int s = " + GROUP / 2 + "; s > 0; s >>= 1) {\n"
                + "    if (t < s) { const " + at + " v = part[t + s]; const " + at + " b = part[t]; part[t] = " + fold("b", "v") + "; }\n"
                + "    barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  }\n"
                + "  if (t == 0) y[o * G + g] = " + store("part[0]", to, fin) + ";\n"
                + "}\n";
    }
}
