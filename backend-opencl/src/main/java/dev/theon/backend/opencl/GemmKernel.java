package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.tensor.DType;

import java.util.List;
import java.util.Map;

/**
 * A tiled matrix product {@code C[z] = A[z] B[z]} over a batch z, for operands with any strides (transposed views
 * need no copy). A work-group computes a TSM x TSN tile of C: it stages TSK-deep slices of A and B in local
 * memory, and each work-item keeps a WPTM x WPTN block of C in registers, reading each staged value of A once
 * per WPTN products and each of B once per WPTM. Loads walk whichever axis of the operand is contiguous, so
 * neighbouring work-items read neighbouring addresses for row-major and transposed operands alike. Edges are
 * guarded, so any M, N, K work. The tile sizes come from {@link GemmTuner}.
 * <p>
 * Floats accumulate in their own type (float32 in float, unlike the reference's double: the sum over K is rounded
 * at each step, which the tests' float32 tolerance allows for); integers and bools in long.
 */
final class GemmKernel {
    /** Tile sizes: a TSM x TSN block of C per work-group, TSK deep, WPTM x WPTN per work-item. */
    record Tiles(int tsm, int tsn, int tsk, int wptm, int wptn) {
        int threadsM() { return tsm / wptm; }
        int threadsN() { return tsn / wptn; }
        int groupSize() { return threadsM() * threadsN(); }
        long localBytes(int elem) { return (long) tsk * (tsm + tsn) * elem; }
        @Override public String toString() { return tsm + "x" + tsn + "x" + tsk + " tiles, " + wptm + "x" + wptn + " per work-item"; }
    }

    final Tiles tiles;
    private final KernelSource source;
    private ClKernel kernel;

    GemmKernel(DType a, DType b, DType c, Tiles t) {
        this.tiles = t;
        DType acc = c.isFloat() ? c : DType.INT64;
        String at = CTypes.of(acc);
        int rm = t.threadsM(), rn = t.threadsN(), threads = t.groupSize();
        String src = "__kernel __attribute__((reqd_work_group_size(" + rm + ", " + rn + ", 1)))\n"
                + "void $NAME(const int M, const int N, const int K,\n"
                + "    __global const " + CTypes.of(a) + "* A, const long offA, const long sAm, const long sAk, const long bA,\n"
                + "    __global const " + CTypes.of(b) + "* B, const long offB, const long sBk, const long sBn, const long bB,\n"
                + "    __global " + CTypes.of(c) + "* C, const long offC, const long sCm, const long sCn, const long bC) {\n"
                + "  __local " + at + " As[" + t.tsk() + "][" + t.tsm() + "];\n"
                + "  __local " + at + " Bs[" + t.tsk() + "][" + t.tsn() + "];\n"
                + "  const int tm = get_local_id(0), tn = get_local_id(1), tid = tn * " + rm + " + tm;\n"
                + "  const int m0 = get_group_id(0) * " + t.tsm() + ", n0 = get_group_id(1) * " + t.tsn() + ";\n"
                + "  const long z = get_global_id(2);\n"
                + "  A += offA + z * bA; B += offB + z * bB; C += offC + z * bC;\n"
                + "  " + at + " acc[" + t.wptm() + "][" + t.wptn() + "];\n"
                + "  for (int i = 0; i < " + t.wptm() + "; i++) for (int j = 0; j < " + t.wptn() + "; j++) acc[i][j] = 0;\n"
                + "  for (int k0 = 0; k0 < K; k0 += " + t.tsk() + ") {\n"
                + "    for (int l = tid; l < " + t.tsk() * t.tsm() + "; l += " + threads + ") {\n"
                + "      int kk, mm;\n"
                + "      if (sAk == 1) { mm = l / " + t.tsk() + "; kk = l % " + t.tsk() + "; } else { kk = l / " + t.tsm() + "; mm = l % " + t.tsm() + "; }\n"
                + "      const int gm = m0 + mm, gk = k0 + kk;\n"
                + "      As[kk][mm] = (gm < M && gk < K) ? (" + at + ") A[gm * sAm + gk * sAk] : (" + at + ") 0;\n"
                + "    }\n"
                + "    for (int l = tid; l < " + t.tsk() * t.tsn() + "; l += " + threads + ") {\n"
                + "      int kk, nn;\n"
                + "      if (sBn == 1) { kk = l / " + t.tsn() + "; nn = l % " + t.tsn() + "; } else { nn = l / " + t.tsk() + "; kk = l % " + t.tsk() + "; }\n"
                + "      const int gk = k0 + kk, gn = n0 + nn;\n"
                + "      Bs[kk][nn] = (gk < K && gn < N) ? (" + at + ") B[gk * sBk + gn * sBn] : (" + at + ") 0;\n"
                + "    }\n"
                + "    barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "    for (int kk = 0; kk < " + t.tsk() + "; kk++) {\n"
                + "      " + at + " bv[" + t.wptn() + "];\n"
                + "      for (int j = 0; j < " + t.wptn() + "; j++) bv[j] = Bs[kk][tn + j * " + rn + "];\n"
                + "      for (int i = 0; i < " + t.wptm() + "; i++) {\n"
                + "        const " + at + " av = As[kk][tm + i * " + rm + "];\n"
                + "        for (int j = 0; j < " + t.wptn() + "; j++) acc[i][j] += av * bv[j];\n"
                + "      }\n"
                + "    }\n"
                + "    barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  }\n"
                + "  for (int i = 0; i < " + t.wptm() + "; i++) for (int j = 0; j < " + t.wptn() + "; j++) {\n"
                + "    const int gm = m0 + tm + i * " + rm + ", gn = n0 + tn + j * " + rn + ";\n"
                + "    if (gm < M && gn < N) C[gm * sCm + gn * sCn] = " + CTypes.convert("acc[i][j]", at, c) + ";\n"
                + "  }\n"
                + "}\n";
        this.source = KernelSource.of("gemm_" + CTypes.tag(a) + CTypes.tag(b) + "_" + t.tsm() + "x" + t.tsn() + "x" + t.tsk() + "_" + t.wptm() + "x" + t.wptn(),
                src, a == DType.FLOAT64 || b == DType.FLOAT64 || c == DType.FLOAT64);
    }

    KernelSource source() { return source; }

    void bind(Map<String, ClKernel> built) { kernel = built.get(source.name()); }

    String describe() { return source.name() + " (" + tiles + ")"; }

    /** One operand of a product: a (rows x cols) strided view per batch item, batch items {@code batchStride} apart. */
    record Operand(DeviceTensor t, long offset, long rowStride, long colStride, long batchStride) {}

    /** C (m x n per batch item) = A (m x k) B (k x n), for {@code batch} items. */
    void run(ClCall c, long m, long n, long k, long batch, Operand a, Operand b, Operand out) {
        if (m == 0 || n == 0 || batch == 0) return;
        if (m > Integer.MAX_VALUE || n > Integer.MAX_VALUE || k > Integer.MAX_VALUE)
            throw new dev.theon.TheonException.ShapeError("gemm: a matrix dimension above 2^31 is not supported (" + m + " x " + k + " x " + n + ")");
        long gm = (m + tiles.tsm() - 1) / tiles.tsm() * tiles.threadsM();
        long gn = (n + tiles.tsn() - 1) / tiles.tsn() * tiles.threadsN();
        List<Object> args = List.of((int) m, (int) n, (int) k,
                a.t().buffer(), a.offset(), a.rowStride(), a.colStride(), a.batchStride(),
                b.t().buffer(), b.offset(), b.rowStride(), b.colStride(), b.batchStride(),
                out.t().buffer(), out.offset(), out.rowStride(), out.colStride(), out.batchStride());
        c.launch(kernel, new long[]{gm, gn, batch}, new long[]{tiles.threadsM(), tiles.threadsN(), 1}, args);
    }
}
