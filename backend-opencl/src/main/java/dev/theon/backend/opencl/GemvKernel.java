package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.tensor.DType;

import java.util.List;
import java.util.Map;

/**
 * Matrix-vector products, {@code y[i] = sum over k of A[i, k] x[k]}. On GPUs one work-group per output: its
 * work-items stride along the row and fold their partial sums as a tree in local memory. On CPUs one work-item
 * per output walks its row (in vector registers when the row and the vector are contiguous). Serves {@code dot} with a vector
 * operand (matrix-vector, vector-matrix with A the transposed view, vector-vector with one row), where a tiled
 * GEMM would leave most of its tile idle. Accumulates like {@link GemmKernel}.
 */
final class GemvKernel {
    static final int GROUP = 64;

    private final KernelSource source;
    private final boolean cpu;
    private ClKernel kernel;

    GemvKernel(DType a, DType b, DType c, boolean cpu) {
        this.cpu = cpu;
        DType acc = c.isFloat() ? c : DType.INT64;
        String at = CTypes.of(acc);
        int w = acc.byteSize() == 8 ? 8 : 16;
        String av = at + w;
        String conv = (a == acc ? "vload" + w + "(0, row + k)" : "convert_" + av + "(vload" + w + "(0, row + k))") + " * "
                + (b == acc ? "vload" + w + "(0, xs + k)" : "convert_" + av + "(vload" + w + "(0, xs + k))");
        // CPUs: one work-item per output, a plain (vector when contiguous) loop along the row
        String rows = "__kernel void $NAME(const long M, const long K, __global const " + CTypes.of(a) + "* A, const long offA, const long sAm, const long sAk,\n"
                + "    __global const " + CTypes.of(b) + "* x, const long offX, const long sX, __global " + CTypes.of(c) + "* y) {\n"
                + "  const long i = get_global_id(0);\n"
                + "  if (i >= M) return;\n"
                + "  const __global " + CTypes.of(a) + "* row = A + offA + i * sAm;\n"
                + "  const __global " + CTypes.of(b) + "* xs = x + offX;\n"
                + "  " + at + " s = 0;\n"
                + "  long k = 0;\n"
                + "  if (sAk == 1 && sX == 1) {\n"
                + "    " + av + " v = 0;\n"
                + "    for (; k + " + w + " <= K; k += " + w + ") v += " + conv + ";\n"
                + "    " + at + " lane[" + w + "];\n"
                + "    vstore" + w + "(v, 0, lane);\n"
                + "    for (int j = 0; j < " + w + "; j++) s += lane[j];\n"
                + "  }\n"
                + "  for (; k < K; k++) s += (" + at + ") row[k * sAk] * (" + at + ") xs[k * sX];\n"
                + "  y[i] = " + CTypes.convert("s", at, c) + ";\n"
                + "}\n";
        String src = cpu ? rows : "__kernel __attribute__((reqd_work_group_size(" + GROUP + ", 1, 1)))\n"
                + "void $NAME(const long K, __global const " + CTypes.of(a) + "* A, const long offA, const long sAm, const long sAk,\n"
                + "    __global const " + CTypes.of(b) + "* x, const long offX, const long sX, __global " + CTypes.of(c) + "* y) {\n"
                + "  __local " + at + " part[" + GROUP + "];\n"
                + "  const long i = get_group_id(0);\n"
                + "  const int t = get_local_id(0);\n"
                + "  " + at + " s = 0;\n"
                + "  for (long k = t; k < K; k += " + GROUP + ") s += (" + at + ") A[offA + i * sAm + k * sAk] * (" + at + ") x[offX + k * sX];\n"
                + "  part[t] = s;\n"
                + "  barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  for (int h = " + GROUP / 2 + "; h > 0; h >>= 1) {\n"
                + "    if (t < h) part[t] += part[t + h];\n"
                + "    barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  }\n"
                + "  if (t == 0) y[i] = " + CTypes.convert("part[0]", at, c) + ";\n"
                + "}\n";
        this.source = KernelSource.of("gemv_" + CTypes.tag(a) + CTypes.tag(b) + "_" + CTypes.tag(c) + (cpu ? "_rows" : ""), src,
                a == DType.FLOAT64 || b == DType.FLOAT64 || c == DType.FLOAT64);
    }

    KernelSource source() { return source; }

    void bind(Map<String, ClKernel> built) { kernel = built.get(source.name()); }

    String describe() { return source.name(); }

    /** y (contiguous, m elements) from the m x k view of A and the k-vector x. */
    void run(ClCall c, long m, long k, DeviceTensor a, long offA, long sAm, long sAk, DeviceTensor x, long offX, long sX, DeviceTensor y) {
        if (m == 0) return;
        if (cpu) c.launch1d(kernel, m, List.of(m, k, a.buffer(), offA, sAm, sAk, x.buffer(), offX, sX, y.buffer()));
        else c.launch(kernel, new long[]{GROUP * m}, new long[]{GROUP}, List.of(k, a.buffer(), offA, sAm, sAk, x.buffer(), offX, sX, y.buffer()));
    }
}
