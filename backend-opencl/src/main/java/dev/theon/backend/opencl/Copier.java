package dev.theon.backend.opencl;

import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.tensor.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a strided device tensor contiguous, for one dtype and rank. A transposed matrix (the common case: a
 * gradient's {@code x.T}) goes through a tiled transpose in local memory, so both the reads and the writes walk
 * memory in order; everything else through the strided elementwise copy.
 */
final class Copier {
    static final int TILE = 16;

    private final DType dtype;
    private final ElementwiseKernel copy;
    private final KernelSource transpose;
    private ClKernel kTranspose;

    Copier(DType dtype, int rank, boolean deviceFp64) {
        this.dtype = dtype;
        this.copy = ElementwiseKernel.copy(dtype, rank, deviceFp64);
        this.transpose = rank == 2 ? KernelSource.of("transpose_" + CTypes.tag(dtype), transposeSource(CTypes.of(dtype)), dtype == DType.FLOAT64) : null;
    }

    List<KernelSource> sources() {
        List<KernelSource> s = new ArrayList<>(copy.sources());
        if (transpose != null) s.add(transpose);
        return s;
    }

    void bind(Map<String, ClKernel> built) {
        copy.bind(built);
        if (transpose != null) kTranspose = built.get(transpose.name());
    }

    /** A contiguous copy of {@code t}; the caller owns its reference. */
    DeviceTensor contiguous(ClCall c, DeviceTensor t) {
        DeviceTensor out = c.alloc(dtype, t.shape());
        long[] s = t.shape(), st = t.strides();
        if (kTranspose != null && s.length == 2 && st[0] == 1 && st[1] != 1 && s[0] > 1 && s[1] > 1) {
            List<Object> args = List.of(s[0], s[1], t.buffer(), t.offset(), st[1], out.buffer());
            c.launch(kTranspose, new long[]{round(s[0]), round(s[1])}, new long[]{TILE, TILE}, args);
        } else {
            copy.run(c, new DeviceTensor[]{t}, new DeviceTensor[]{out}, s);
        }
        return out;
    }

    private static long round(long n) { return (n + TILE - 1) / TILE * TILE; }

    /** y (R x C, row-major) from x with x[r, c] at off + r + c * ld: a tile is read down columns and written along rows. */
    private static String transposeSource(String t) {
        return """
                __kernel __attribute__((reqd_work_group_size(16, 16, 1)))
                void $NAME(const long R, const long C, __global const T* x, const long off, const long ld, __global T* y) {
                  __local T tile[16][17];
                  const long r0 = get_group_id(0) * 16, c0 = get_group_id(1) * 16;
                  const int tx = get_local_id(0), ty = get_local_id(1);
                  if (r0 + tx < R && c0 + ty < C) tile[ty][tx] = x[off + (r0 + tx) + (c0 + ty) * ld];
                  barrier(CLK_LOCAL_MEM_FENCE);
                  if (r0 + ty < R && c0 + tx < C) y[(r0 + ty) * C + c0 + tx] = tile[tx][ty];
                }
                """.replace("T*", t + "*").replace("__local T", "__local " + t);
    }
}
