package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.graph.Variable;
import dev.theon.ops.Reduce;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The kernel forms meant for GPUs (work-group trees for reductions, softmax and matrix-vector products, every tiled
 * GEMM candidate), run on the test device even when it is a CPU, against the reference backend: what CI's PoCL
 * would otherwise never execute.
 */
class GpuFormsOpenCLTest {
    private static boolean wasCpu;

    @BeforeAll static void gpuForms() {
        OpenCLAvailable.require();
        ClDevice d = ClPlatforms.choose("");
        wasCpu = d.cpu;
        d.cpu = false;
    }

    @AfterAll static void restore() {
        if (OpenCLBackend.unavailableReason() == null) ClPlatforms.choose("").cpu = wasCpu;
    }

    @Test void reductionsSoftmaxAndMatrixVector() {
        Random rnd = new Random(1);
        Variable x = T.tensor(DType.FLOAT32, 3, "x"), v = T.fvector("v"), m = T.fmatrix("m"), b = T.tensor(DType.INT32, 3, "b");
        List<Variable> outs = new ArrayList<>();
        for (Reduce.Kind k : Reduce.Kind.values()) {
            outs.add(Reduce.of(k, x, new int[]{2}, false).apply(x));
            outs.add(Reduce.of(k, x, new int[]{0, 1}, false).apply(x));
            outs.add(Reduce.of(k, b, new int[]{1}, false).apply(b));
        }
        outs.add(T.sum(v));                 // one long row: groups share it, then a second pass
        outs.add(T.max(v));
        outs.add(T.sum(m, 0));              // many columns: one work-item each
        outs.add(T.softmax(m));
        outs.add(T.logSoftmax(m, 0));
        outs.add(T.dot(m, T.get(m, 0)));    // matrix . vector
        outs.add(T.dot(T.get(m, 1), m.T()));
        NDArray vx = Both.random(DType.FLOAT32, rnd, true, 3, 40, 300).transpose(0, 2, 1);
        NDArray vb = Both.random(DType.INT32, rnd, false, 4, 50, 3);
        NDArray vv = Both.random(DType.FLOAT32, rnd, false, 200_000);
        NDArray vm = Both.random(DType.FLOAT32, rnd, false, 70, 70);
        Both.check(List.of(x, v, m, b), outs, new Object[]{vx, vv, vm, vb}, 2e-5, 1e-4);
    }

    @Test void everyTiledGemmCandidate() {
        ClDevice d = ClPlatforms.choose("");
        Random rnd = new Random(2);
        long m = 70, k = 45, n = 83;
        NDArray a = Both.random(DType.FLOAT32, rnd, false, m, k), bt = Both.random(DType.FLOAT32, rnd, false, n, k);
        NDArray expected = NDArray.zeros(DType.FLOAT32, m, n);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) s += a.getDouble(i, q) * bt.getDouble(j, q);
                expected.setDouble(s, i, j);
            }
        List<GemmKernel> ks = new ArrayList<>();
        for (GemmKernel.Tiles t : GemmTuner.CANDIDATES) ks.add(new GemmKernel(DType.FLOAT32, DType.FLOAT32, DType.FLOAT32, t, null));
        var built = d.kernels(ks.stream().map(GemmKernel::source).toList());
        for (GemmKernel g : ks) {
            g.bind(built);
            ClCall c = new ClCall(d);
            DeviceTensor da = c.upload(a), db = c.upload(bt.transpose()), out = c.alloc(DType.FLOAT32, new long[]{m, n});
            try {
                g.run(c, m, n, k, 1, new GemmKernel.Operand(da, da.offset(), da.strides()[0], da.strides()[1], 0),
                        new GemmKernel.Operand(db, db.offset(), db.strides()[0], db.strides()[1], 0), new GemmKernel.Operand(out, 0, n, 1, 0));
                ClCall.Download r = c.download(out, null);
                c.await(r);
                Both.assertClose(expected, r.host, 1e-5, 1e-4, g.describe());
            } finally {
                c.finish();
                for (DeviceTensor t : List.of(da, db, out)) t.buffer().release();
            }
        }
    }
}
