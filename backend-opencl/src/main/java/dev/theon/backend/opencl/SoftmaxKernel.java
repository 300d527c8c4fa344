package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.tensor.DType;

import java.util.List;
import java.util.Map;

/**
 * Softmax and log-softmax along lanes: one work-group per lane finds the maximum (a tree in local memory; NaN wins,
 * as in the reference), then the sum of {@code exp(x - max)} the same way, then writes
 * {@code exp(x - max) / sum} or {@code x - max - log(sum)}. Computed in the output's float type.
 */
final class SoftmaxKernel {
    static final int GROUP = 128;

    private final KernelSource source;
    private ClKernel kernel;

    SoftmaxKernel(DType in, DType out, boolean log) {
        String ct = CTypes.of(out);
        String x = "((" + ct + ") row[k * xs])";
        String write = log
                ? "  const " + ct + " ls = log(s);\n  for (long k = t; k < n; k += " + GROUP + ") dst[k] = " + x + " - m - ls;\n"
                : "  for (long k = t; k < n; k += " + GROUP + ") dst[k] = exp(" + x + " - m) / s;\n";
        String src = "__kernel __attribute__((reqd_work_group_size(" + GROUP + ", 1, 1)))\n"
                + "void $NAME(const long n, __global const " + CTypes.of(in) + "* x, const long off, const long ls_, const long xs, __global " + ct + "* y) {\n"
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
                + write
                + "}\n";
        this.source = KernelSource.of((log ? "log_softmax_" : "softmax_") + CTypes.tag(in), src, in == DType.FLOAT64 || out == DType.FLOAT64);
    }

    List<KernelSource> sources() { return List.of(source); }

    void bind(Map<String, ClKernel> built) { kernel = built.get(source.name()); }

    String describe() { return source.name(); }

    /** Writes {@code lanes} rows of {@code n} into {@code y} (contiguous); lane l of x starts at off + l * laneStride. */
    void run(ClCall c, DeviceTensor x, long lanes, long n, long laneStride, long axisStride, DeviceTensor y) {
        if (lanes == 0 || n == 0) return;
        c.launch(kernel, new long[]{GROUP * lanes}, new long[]{GROUP}, List.of(n, x.buffer(), x.offset(), laneStride, axisStride, y.buffer()));
    }
}
