package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.tensor.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Matrix products {@code C[z] = A[z] B[z]} over a batch z, for operands with any strides, in one of two forms that
 * {@link GemmTuner} chooses between by timing them on the device:
 * <ul>
 *   <li>tiled: a work-group computes a TSM x TSN tile of C, staging TSK-deep slices of A and B in local memory;
 *       each work-item keeps a WPTM x WPTN block of C in registers. Loads walk whichever axis of an operand is
 *       contiguous, so transposed operands need no copy. The classic GPU form.</li>
 *   <li>vector: each work-item keeps a VR x VW block of C in VR vector registers (float16 / double8) and, for each
 *       k, multiplies one vector load of a row of B by VR broadcast elements of A. No local memory and no
 *       barriers: the form CPU implementations (PoCL) turn into straight SIMD code. B must have contiguous rows;
 *       when it does not (a transposed weight in a gradient) it is copied first.</li>
 * </ul>
 * Edges are guarded, so any M, N, K work. Floats accumulate in their own type (float32 in float, unlike the
 * reference's double: the tests' float32 tolerance allows for it); integers and bools in long.
 */
final class GemmKernel {
    /**
     * Tile sizes. Tiled form: a TSM x TSN block of C per work-group, TSK deep, WPTM x WPTN per work-item.
     * Vector form ({@code vw > 0}): a TSM-row x VW-column block of C per work-item (TSN = VW), in work-groups of
     * {@link #VECTOR_GROUP}.
     */
    record Tiles(int tsm, int tsn, int tsk, int wptm, int wptn, int vw) {
        Tiles(int tsm, int tsn, int tsk, int wptm, int wptn) { this(tsm, tsn, tsk, wptm, wptn, 0); }

        static Tiles vector(int rows, int width) { return new Tiles(rows, width, 1, rows, width, width); }

        boolean isVector() { return vw > 0; }
        int threadsM() { return isVector() ? VECTOR_GROUP[1] : tsm / wptm; }
        int threadsN() { return isVector() ? VECTOR_GROUP[0] : tsn / wptn; }
        int groupSize() { return threadsM() * threadsN(); }
        long localBytes(int elem) { return isVector() ? 0 : (long) tsk * (tsm + tsn) * elem; }

        @Override public String toString() {
            return isVector() ? tsm + "x" + vw + " vector registers per work-item" : tsm + "x" + tsn + "x" + tsk + " tiles, " + wptm + "x" + wptn + " per work-item";
        }
    }

    /**
     * Work-group shape of the vector form: (columns, rows) of work-items. All work-items of a group share one column
     * panel of B, which stays in cache while a CPU runs the group's work-items one after another.
     */
    static final int[] VECTOR_GROUP = {1, 64};

    /** The vector form sums K in blocks of this many (one launch each, accumulating into C): A's and B's blocks stay in cache. */
    static final int K_BLOCK = 512;

    /** The tiled form used where the vector form does not apply (integers, mixed dtypes). */
    static final Tiles GENERAL = new Tiles(32, 32, 16, 2, 2);

    final Tiles tiles;
    private final DType b;
    private final KernelSource source;
    private final Copier copierB;
    private ClKernel kernel;

    /** {@code copierB} makes a strided B row-contiguous for the vector form (rank 3: batch, K, N). */
    GemmKernel(DType a, DType b, DType c, Tiles t, Copiers copiers) {
        this.b = b;
        boolean vectorOk = t.isVector() && a == b && b == c && c.isFloat();
        this.tiles = t.isVector() && !vectorOk ? GENERAL : t;
        boolean fp64 = a == DType.FLOAT64 || b == DType.FLOAT64 || c == DType.FLOAT64;
        String name = "gemm_" + CTypes.tag(a) + CTypes.tag(b) + "_" + tiles.toString().replaceAll("[^0-9x]+", "_");
        this.source = KernelSource.of(name, tiles.isVector() ? vectorSource(c, tiles) : tiledSource(a, b, c, tiles), fp64);
        this.copierB = tiles.isVector() && copiers != null ? copiers.get(b, 3) : null;
    }

    KernelSource source() { return source; }

    List<KernelSource> sources() { return List.of(source); }

    void bind(Map<String, ClKernel> built) { kernel = built.get(source.name()); }

    String describe() { return source.name() + " (" + tiles + ")"; }

    private static String tiledSource(DType a, DType b, DType c, Tiles t) {
        DType acc = c.isFloat() ? c : DType.INT64;
        String at = CTypes.of(acc);
        int rm = t.threadsM(), rn = t.threadsN(), threads = t.groupSize();
        return "__kernel __attribute__((reqd_work_group_size(" + rm + ", " + rn + ", 1)))\n"
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
    }

    /** The vector form; work-item (x, y) owns rows y*VR.. and columns x*VW.. of C. Requires sBn == 1. */
    private static String vectorSource(DType c, Tiles t) {
        String s = CTypes.of(c), v = s + t.vw();
        int rows = t.tsm(), w = t.vw();
        StringBuilder b = new StringBuilder();
        b.append("__kernel __attribute__((reqd_work_group_size(").append(VECTOR_GROUP[0]).append(", ").append(VECTOR_GROUP[1]).append(", 1)))\n")
                .append("void $NAME(const int M, const int N, const int K,\n")
                .append("    __global const ").append(s).append("* A, const long offA, const long sAm, const long sAk, const long bA,\n")
                .append("    __global const ").append(s).append("* B, const long offB, const long sBk, const long sBn, const long bB,\n")
                .append("    __global ").append(s).append("* C, const long offC, const long sCm, const long sCn, const long bC, const int accumulate) {\n")
                .append("  const int n0 = get_global_id(0) * ").append(w).append(", m0 = get_global_id(1) * ").append(rows).append(";\n")
                .append("  const long z = get_global_id(2);\n")
                .append("  if (n0 >= N || m0 >= M) return;\n")
                .append("  A += offA + z * bA; B += offB + z * bB; C += offC + z * bC;\n")
                .append("  if (n0 + ").append(w).append(" <= N && m0 + ").append(rows).append(" <= M) {\n");
        for (int i = 0; i < rows; i++)
            b.append("    ").append(v).append(" acc").append(i).append(" = accumulate ? vload").append(w).append("(0, C + (m0 + ").append(i).append(") * sCm + n0) : (").append(v).append(") 0;\n");
        for (int i = 0; i < rows; i++) b.append("    const __global ").append(s).append("* a").append(i).append(" = A + (m0 + ").append(i).append(") * sAm;\n");
        b.append("    for (int k = 0; k < K; k++) {\n")
                .append("      const ").append(v).append(" bk = vload").append(w).append("(0, B + k * sBk + n0);\n");
        for (int i = 0; i < rows; i++) b.append("      acc").append(i).append(" = fma((").append(v).append(") a").append(i).append("[k * sAk], bk, acc").append(i).append(");\n");
        b.append("    }\n")
                .append("    if (sCn == 1) {\n");
        for (int i = 0; i < rows; i++) b.append("      vstore").append(w).append("(acc").append(i).append(", 0, C + (m0 + ").append(i).append(") * sCm + n0);\n");
        b.append("    } else {\n")
                .append("      ").append(s).append(" tmp[").append(w).append("];\n");
        for (int i = 0; i < rows; i++)
            b.append("      vstore").append(w).append("(acc").append(i).append(", 0, tmp); for (int j = 0; j < ").append(w)
                    .append("; j++) C[(m0 + ").append(i).append(") * sCm + (n0 + j) * sCn] = tmp[j];\n");
        b.append("    }\n")
                .append("    return;\n")
                .append("  }\n")
                .append("  for (int i = 0; i < ").append(rows).append(" && m0 + i < M; i++)\n")
                .append("    for (int j = 0; j < ").append(w).append(" && n0 + j < N; j++) {\n")
                .append("      ").append(s).append(" acc = accumulate ? C[(m0 + i) * sCm + (n0 + j) * sCn] : 0;\n")
                .append("      for (int k = 0; k < K; k++) acc = fma(A[(m0 + i) * sAm + k * sAk], B[k * sBk + (n0 + j) * sBn], acc);\n")
                .append("      C[(m0 + i) * sCm + (n0 + j) * sCn] = acc;\n")
                .append("    }\n")
                .append("}\n");
        return b.toString();
    }

    /** One operand of a product: a (rows x cols) strided view per batch item, batch items {@code batchStride} apart. */
    record Operand(DeviceTensor t, long offset, long rowStride, long colStride, long batchStride) {}

    /** C (m x n per batch item) = A (m x k) B (k x n), for {@code batch} items. */
    void run(ClCall c, long m, long n, long k, long batch, Operand a, Operand bo, Operand out) {
        if (m == 0 || n == 0 || batch == 0) return;
        if (m > Integer.MAX_VALUE || n > Integer.MAX_VALUE || k > Integer.MAX_VALUE)
            throw new dev.theon.TheonException.ShapeError("gemm: a matrix dimension above 2^31 is not supported (" + m + " x " + k + " x " + n + ")");
        List<ClBuffer> temps = new ArrayList<>();
        try {
            if (tiles.isVector() && bo.colStride() != 1 && n > 1) {
                // the vector form reads rows of B: copy a strided B row-contiguous (once when the batch shares it)
                long copies = bo.batchStride() == 0 ? 1 : batch;
                DeviceTensor view = bo.t().view(new long[]{copies, k, n}, new long[]{bo.batchStride(), bo.rowStride(), bo.colStride()}, bo.offset());
                DeviceTensor packed = copierB.contiguous(c, view);
                temps.add(packed.buffer());
                bo = new Operand(packed, 0, n, 1, copies == 1 ? 0 : k * n);
            }
            long gm, gn;
            if (tiles.isVector()) {
                gm = roundUp((m + tiles.tsm() - 1) / tiles.tsm(), VECTOR_GROUP[1]);
                gn = roundUp((n + tiles.vw() - 1) / tiles.vw(), VECTOR_GROUP[0]);
            } else {
                gm = (m + tiles.tsm() - 1) / tiles.tsm() * tiles.threadsM();
                gn = (n + tiles.tsn() - 1) / tiles.tsn() * tiles.threadsN();
            }
            // n == 1: a column of B is contiguous whatever its stride, so its rows are one element apart in memory terms
            long sBn = n == 1 ? 1 : bo.colStride();
            if (!tiles.isVector()) {
                c.launch(kernel, new long[]{gm, gn, batch}, new long[]{tiles.threadsM(), tiles.threadsN(), 1}, List.of((int) m, (int) n, (int) k,
                        a.t().buffer(), a.offset(), a.rowStride(), a.colStride(), a.batchStride(),
                        bo.t().buffer(), bo.offset(), bo.rowStride(), sBn, bo.batchStride(),
                        out.t().buffer(), out.offset(), out.rowStride(), out.colStride(), out.batchStride()));
                return;
            }
            // C = A[:, :KB] B[:KB] then C += the next blocks (the in-order queue runs them one after another);
            // accumulating reads C as rows, so a strided C takes one launch over the whole of K
            long block = out.colStride() == 1 ? K_BLOCK : Math.max(k, 1);
            for (long k0 = 0; k0 == 0 || k0 < k; k0 += block) {
                long kb = Math.min(block, k - k0);
                c.launch(kernel, new long[]{gn, gm, batch}, new long[]{VECTOR_GROUP[0], VECTOR_GROUP[1], 1}, List.of((int) m, (int) n, (int) kb,
                        a.t().buffer(), a.offset() + k0 * a.colStride(), a.rowStride(), a.colStride(), a.batchStride(),
                        bo.t().buffer(), bo.offset() + k0 * bo.rowStride(), bo.rowStride(), sBn, bo.batchStride(),
                        out.t().buffer(), out.offset(), out.rowStride(), out.colStride(), out.batchStride(), k0 == 0 ? 0 : 1));
            }
        } finally {
            for (ClBuffer t : temps) t.release();
        }
    }

    private static long roundUp(long x, long to) { return (x + to - 1) / to * to; }
}
