package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.tensor.DType;

import java.util.List;
import java.util.Map;

/**
 * Softmax and log-softmax along lanes: the maximum (NaN wins, as in the reference), then the sum of
 * {@code exp(x - max)}, then {@code exp(x - max) / sum} or {@code x - max - log(sum)}, computed in the output's float
 * type. On GPUs one work-group per lane folds as a tree in local memory; on CPUs one work-item per lane walks its
 * lane in three plain loops (no barriers, which CPU implementations handle poorly).
 */
final class SoftmaxKernel {
    static final int GROUP = 128;

    private final KernelSource source;
    private final boolean cpu;
    private ClKernel kernel;

    SoftmaxKernel(DType in, DType out, boolean log, boolean cpu) {
        this.cpu = cpu;
        String ct = CTypes.of(out);
        String x = "((" + ct + ") row[k * xs])";
        String header = "void $NAME(const long lanes, const long n, __global const " + CTypes.of(in) + "* x, const long off, const long ls_, const long xs, __global " + ct + "* y) {\n";
        String src = cpu ? "__kernel " + header
                + "  const long l = get_global_id(0);\n"
                + "  if (l >= lanes) return;\n"
                + "  const __global " + CTypes.of(in) + "* row = x + off + l * ls_;\n"
                + "  __global " + ct + "* dst = y + l * n;\n"
                + "  " + ct + " m = -INFINITY;\n"
                + "  for (long k = 0; k < n; k++) { const " + ct + " v = " + x + "; m = (isnan(v) || v > m) ? v : m; }\n"
                + "  " + ct + " s = 0;\n"
                + "  for (long k = 0; k < n; k++) s += exp(" + x + " - m);\n"
                + (log ? "  const " + ct + " ls = log(s);\n  for (long k = 0; k < n; k++) dst[k] = " + x + " - m - ls;\n"
                       : "  for (long k = 0; k < n; k++) dst[k] = exp(" + x + " - m) / s;\n")
                + "}\n"
                : "__kernel __attribute__((reqd_work_group_size(" + GROUP + ", 1, 1)))\n" + header
                + "  __local " + ct + " part[" + GROUP + "];\n"
                + "  const long l = get_group_id(0);\n"
                + "  const int t = get_local_id(0);\n"
                + "  const __global " + CTypes.of(in) + "* row = x + off + l * ls_;\n"
                + "  __global " + ct + "* dst = y + l * n;\n"
                + "  " + ct + " m = -INFINITY;\n"
                + "  for (long k = t; k < n; k += " + GROUP + ") { const " + ct + " v = " + x + "; m = (isnan(v) || v > m) ? v : m; }\n"
                + "  part[t] = m;\n"
                + "  barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  for (int s = " + GROUP / 2 + "; s > 0; s >>= 1) {\n"
                + "    if (t < s) { const " + ct + " v = part[t + s]; if (isnan(v) || v > part[t]) part[t] = v; }\n"
                + "    barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  }\n"
                + "  m = part[0];\n"
                + "  barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  " + ct + " s = 0;\n"
                + "  for (long k = t; k < n; k += " + GROUP + ") s += exp(" + x + " - m);\n"
                + "  part[t] = s;\n"
                + "  barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  for (int h = " + GROUP / 2 + "; h > 0; h >>= 1) {\n"
                + "    if (t < h) part[t] += part[t + h];\n"
                + "    barrier(CLK_LOCAL_MEM_FENCE);\n"
                + "  }\n"
                + "  s = part[0];\n"
                + (log ? "  const " + ct + " ls = log(s);\n  for (long k = t; k < n; k += " + GROUP + ") dst[k] = " + x + " - m - ls;\n"
                       : "  for (long k = t; k < n; k += " + GROUP + ") dst[k] = exp(" + x + " - m) / s;\n")
                + "}\n";
        this.source = KernelSource.of((log ? "log_softmax_" : "softmax_") + CTypes.tag(in) + (cpu ? "_lanes" : ""), src, in == DType.FLOAT64 || out == DType.FLOAT64);
    }

    List<KernelSource> sources() { return List.of(source); }

    void bind(Map<String, ClKernel> built) { kernel = built.get(source.name()); }

    String describe() { return source.name(); }

    /** Writes {@code lanes} rows of {@code n} into {@code y} (contiguous); lane l of x starts at off + l * laneStride. */
    void run(ClCall c, DeviceTensor x, long lanes, long n, long laneStride, long axisStride, DeviceTensor y) {
        if (lanes == 0 || n == 0) return;
        List<Object> args = List.of(lanes, n, x.buffer(), x.offset(), laneStride, axisStride, y.buffer());
        if (cpu) c.launch1d(kernel, lanes, args);
        else c.launch(kernel, new long[]{GROUP * lanes}, new long[]{GROUP}, args);
    }
}
