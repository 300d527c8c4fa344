package dev.theon.backend.opencl;

import dev.theon.TheonException;
import dev.theon.backend.opencl.ClDevice.ClKernel;
import dev.theon.backend.opencl.GemmKernel.Operand;
import dev.theon.graph.Apply;
import dev.theon.ops.Composite;
import dev.theon.ops.Dot;
import dev.theon.ops.Gemm;
import dev.theon.ops.MatMul;
import dev.theon.ops.Outer;
import dev.theon.ops.ScalarOp;
import dev.theon.ops.TensorDot;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link Dot}, {@link MatMul}, {@link TensorDot}, {@link Outer} and BLAS's {@link Gemm} on the device. Matrix products (and stacks of them) go to the tiled
 * {@link GemmKernel}, products with a vector operand of {@code dot} to {@link GemvKernel}, and {@code dot} with a
 * scalar operand is an elementwise product. An operand's leading axes are merged into the rows of a matrix where
 * its strides allow, else it is copied contiguous first. {@code dot} of an operand of rank 3 or more on the right
 * has no kernel here (the caller falls back to the host).
 */
final class ProductOp implements DeviceOp {
    private enum Form { SCALE, GEMV, VECTOR_MATRIX, GEMM, MATMUL, TENSORDOT, OUTER, BLAS_GEMM, BLAS_GEMV }

    private final Form form;
    private final DType outD;
    private final GemmKernel gemm;
    private final GemvKernel gemv;
    private final ElementwiseKernel scale, epilogue;
    private final Copier copierA, copierB;
    private final String tuning;
    private final int[] axesA, axesB;

    private ProductOp(Form form, Apply node, ClDevice device, Copiers copiers) {
        this.form = form;
        boolean blas = form == Form.BLAS_GEMM || form == Form.BLAS_GEMV;
        DType a = node.input(blas ? 2 : 0).dtype(), b = node.input(blas ? 3 : 1).dtype();
        this.outD = node.output(0).dtype();
        int rank = node.output(0).ndim();
        DType acc = outD.isFloat() ? outD : DType.INT64;
        this.gemm = form == Form.GEMM || form == Form.MATMUL || form == Form.TENSORDOT || form == Form.OUTER || form == Form.BLAS_GEMM ? new GemmKernel(a, b, outD, device.tuner.tiles(acc), copiers) : null;
        this.tuning = gemm != null ? device.tuner.how(acc) : "";
        this.gemv = form == Form.GEMV || form == Form.VECTOR_MATRIX || form == Form.BLAS_GEMV
                ? new GemvKernel(form == Form.VECTOR_MATRIX ? b : a, form == Form.VECTOR_MATRIX ? a : b, outD, device.cpu) : null;
        // gemm's epilogue: beta * C + alpha * product, C broadcast (inputs C, alpha, product, beta)
        this.epilogue = blas ? new ElementwiseKernel(new Composite(4, List.of(
                new Composite.Instr(ScalarOp.MUL, new int[]{3, 0}, null),
                new Composite.Instr(ScalarOp.MUL, new int[]{1, 2}, null),
                new Composite.Instr(ScalarOp.ADD, new int[]{4, 5}, null)), new int[]{2}),
                new DType[]{outD, outD, outD, outD}, new boolean[]{false, true, false, true}, new DType[]{outD}, rank, device.fp64) : null;
        this.scale = form == Form.SCALE ? new ElementwiseKernel(new Composite(2, List.of(new Composite.Instr(ScalarOp.MUL, new int[]{0, 1}, outD)), new int[]{0}),
                new DType[]{a, b}, new boolean[]{node.input(0).ndim() == 0, node.input(1).ndim() == 0}, new DType[]{outD}, rank, device.fp64) : null;
        boolean general = form == Form.TENSORDOT || form == Form.OUTER;
        boolean rowsOfA = general || form == Form.GEMM || form == Form.GEMV && node.input(0).ndim() >= 2;  // gemm's A is a matrix: no copy
        this.copierA = rowsOfA ? copiers.get(a, node.input(0).ndim()) : null;
        this.copierB = general ? copiers.get(b, node.input(1).ndim()) : null;
        this.axesA = node.op() instanceof TensorDot t ? t.axesA() : new int[0];
        this.axesB = node.op() instanceof TensorDot t ? t.axesB() : new int[0];
    }

    /** The device form of a dot or matmul node, or null when it has none. */
    static ProductOp of(Apply node, ClDevice device, Copiers copiers) {
        int ra = node.input(0).ndim(), rb = node.input(1).ndim();
        if (node.op() instanceof MatMul) return new ProductOp(Form.MATMUL, node, device, copiers);
        if (node.op() instanceof TensorDot) return new ProductOp(Form.TENSORDOT, node, device, copiers);
        if (node.op() instanceof Outer) return new ProductOp(Form.OUTER, node, device, copiers);
        if (node.op() instanceof Gemm) return new ProductOp(node.input(3).ndim() == 2 ? Form.BLAS_GEMM : Form.BLAS_GEMV, node, device, copiers);
        if (ra == 0 || rb == 0) return new ProductOp(Form.SCALE, node, device, copiers);
        if (rb == 1) return new ProductOp(Form.GEMV, node, device, copiers);
        if (rb == 2) return new ProductOp(ra == 1 ? Form.VECTOR_MATRIX : Form.GEMM, node, device, copiers);
        return null;
    }

    @Override public List<KernelSource> sources() {
        List<KernelSource> s = new ArrayList<>();
        if (gemm != null) s.add(gemm.source());
        if (gemv != null) s.add(gemv.source());
        if (scale != null) s.addAll(scale.sources());
        if (epilogue != null) s.addAll(epilogue.sources());
        return s;
    }

    @Override public void bind(Map<String, ClKernel> built) {
        if (gemm != null) gemm.bind(built);
        if (gemv != null) gemv.bind(built);
        if (scale != null) scale.bind(built);
        if (epilogue != null) epilogue.bind(built);
    }

    @Override public String describe() {
        String then = epilogue != null ? ", then " + epilogue.describe() + " (beta * C + alpha * product)" : "";
        if (gemm != null) return "kernel " + gemm.describe() + (tuning.isEmpty() ? "" : ", " + tuning) + then;
        if (gemv != null) return "kernel " + gemv.describe() + then;
        return "kernel " + scale.describe();
    }

    @Override public DeviceTensor[] run(ClCall c, Apply node, DeviceTensor[] in, NDArray[] host) {
        return new DeviceTensor[]{switch (form) {
            case SCALE -> scale(c, in[0], in[1]);
            case GEMV -> gemv(c, node, in[0], in[1]);
            case VECTOR_MATRIX -> vectorMatrix(c, node, in[0], in[1]);
            case GEMM -> dotMatrix(c, node, in[0], in[1]);
            case MATMUL -> matmul(c, node, in[0], in[1]);
            case TENSORDOT -> tensordot(c, node, in[0], in[1]);
            case OUTER -> outer(c, in[0], in[1]);
            case BLAS_GEMM, BLAS_GEMV -> blas(c, node, in);
        }};
    }

    private DeviceTensor scale(ClCall c, DeviceTensor a, DeviceTensor b) {
        long[] shape = a.ndim() == 0 ? b.shape() : a.shape();
        DeviceTensor out = c.alloc(outD, shape);
        DeviceTensor av = a.view(shape, Layout.broadcastStrides(a, shape), a.offset()), bv = b.view(shape, Layout.broadcastStrides(b, shape), b.offset());
        scale.run(c, new DeviceTensor[]{av, bv}, new DeviceTensor[]{out}, shape);
        return out;
    }

    /** NumPy's wording, as the reference's dot. */
    private static void checkAligned(Apply node, long[] sa, long[] sb, int ka, int kb) {
        if (sa[ka] != sb[kb])
            throw new TheonException.ShapeError(node.op().name() + ": shapes " + Shapes.str(sa) + " and " + Shapes.str(sb) + " not aligned: "
                    + sa[ka] + " (dim " + ka + ") != " + sb[kb] + " (dim " + kb + ")");
    }

    /** The rows of {@code a}: its leading axes merged into one (rows, stride), copying it contiguous when they do not merge. */
    private record Rows(DeviceTensor t, long rows, long rowStride, long colStride, boolean temp) {}

    private Rows rows(ClCall c, DeviceTensor a) {
        long[] s = a.shape();
        int r = s.length;
        int[] lead = new int[r - 1];
        for (int d = 0; d < r - 1; d++) lead[d] = d;
        long m = Shapes.size(Arrays.copyOf(s, r - 1));
        Layout.Axis ax = Layout.mergeToOne(s, a.strides(), lead);
        if (ax != null) return new Rows(a, m, ax.stride(), a.strides()[r - 1], false);
        DeviceTensor packed = copierA.contiguous(c, a);
        return new Rows(packed, m, s[r - 1], 1, true);
    }

    private DeviceTensor gemv(ClCall c, Apply node, DeviceTensor a, DeviceTensor b) {
        long[] sa = a.shape(), sb = b.shape();
        checkAligned(node, sa, sb, sa.length - 1, 0);
        long k = sb[0];
        DeviceTensor out = c.alloc(outD, Arrays.copyOf(sa, sa.length - 1));
        Rows r = rows(c, a);
        try {
            gemv.run(c, r.rows(), k, r.t(), r.t().offset(), r.rowStride(), r.colStride(), b, b.offset(), b.strides()[0], out);
        } finally {
            if (r.temp()) r.t().buffer().release();
        }
        return out;
    }

    /** vector . matrix: the rows of the transposed matrix against the vector. */
    private DeviceTensor vectorMatrix(ClCall c, Apply node, DeviceTensor a, DeviceTensor b) {
        long[] sa = a.shape(), sb = b.shape();
        checkAligned(node, sa, sb, 0, 0);
        DeviceTensor out = c.alloc(outD, new long[]{sb[1]});
        gemv.run(c, sb[1], sb[0], b, b.offset(), b.strides()[1], b.strides()[0], a, a.offset(), a.strides()[0], out);
        return out;
    }

    private DeviceTensor dotMatrix(ClCall c, Apply node, DeviceTensor a, DeviceTensor b) {
        long[] sa = a.shape(), sb = b.shape();
        checkAligned(node, sa, sb, sa.length - 1, 0);
        long k = sb[0], n = sb[1];
        long[] outShape = Arrays.copyOf(sa, sa.length);
        outShape[sa.length - 1] = n;
        DeviceTensor out = c.alloc(outD, outShape);
        Rows r = rows(c, a);
        try {
            gemm.run(c, r.rows(), n, k, 1, new Operand(r.t(), r.t().offset(), r.rowStride(), r.colStride(), 0),
                    new Operand(b, b.offset(), b.strides()[0], b.strides()[1], 0), new Operand(out, 0, n, 1, 0));
        } finally {
            if (r.temp()) r.t().buffer().release();
        }
        return out;
    }

    /** gemm(C, alpha, A, B, beta) = beta * C + alpha * dot(A, B): the product into a fresh buffer, then one elementwise pass. */
    private DeviceTensor blas(ClCall c, Apply node, DeviceTensor[] in) {
        DeviceTensor cc = in[0], a = in[2], b = in[3];
        long[] sa = a.shape(), sb = b.shape();
        checkAligned(node, sa, sb, 1, 0);
        long m = sa[0], k = sa[1];
        boolean vector = form == Form.BLAS_GEMV;
        long n = vector ? 1 : sb[1];
        long[] shape = vector ? new long[]{m} : new long[]{m, n};
        long[] cs = cc.shape(), declared = node.input(0).type().shape();
        for (int d = 0; d < cs.length; d++) {
            long want = shape[shape.length - cs.length + d];
            if (cs[d] != want && !(cs[d] == 1 && declared[d] == 1))
                throw new TheonException.ShapeError(node.op().name() + ": C of shape " + Shapes.str(cs) + " does not broadcast to the product's shape "
                        + Shapes.str(shape) + (cs[d] == 1 ? " (its type " + node.input(0).type() + " does not declare axis " + d + " broadcastable)" : ""));
        }
        DeviceTensor product = c.alloc(outD, shape), out = c.alloc(outD, shape);
        try {
            if (vector) gemv.run(c, m, k, a, a.offset(), a.strides()[0], a.strides()[1], b, b.offset(), b.strides()[0], product);
            else gemm.run(c, m, n, k, 1, new Operand(a, a.offset(), a.strides()[0], a.strides()[1], 0),
                    new Operand(b, b.offset(), b.strides()[0], b.strides()[1], 0), new Operand(product, 0, n, 1, 0));
            DeviceTensor[] ins = {cc, in[1], product, in[4]};
            for (int i = 0; i < ins.length; i++) ins[i] = ins[i].view(shape, Layout.broadcastStrides(ins[i], shape), ins[i].offset());
            epilogue.run(c, ins, new DeviceTensor[]{out}, shape);
        } finally {
            product.buffer().release();
        }
        return out;
    }

    /**
     * A tensor seen as a (rows x cols) matrix: {@code rowAxes} merged into the rows and {@code colAxes} into the
     * columns, each in the given order. When either does not merge into one strided axis, the tensor is copied with
     * those axes in that order first ({@code temp}: the caller releases the copy).
     */
    private record Matrix(DeviceTensor t, long rows, long rowStride, long cols, long colStride, boolean temp) {
        Operand operand() { return new Operand(t, t.offset(), rowStride, colStride, 0); }
    }

    private static Matrix matrix(ClCall c, DeviceTensor t, int[] rowAxes, int[] colAxes, Copier copier) {
        long[] s = t.shape();
        long rows = 1, cols = 1;
        for (int d : rowAxes) rows *= s[d];
        for (int d : colAxes) cols *= s[d];
        Layout.Axis r = Layout.mergeToOne(s, t.strides(), rowAxes), k = Layout.mergeToOne(s, t.strides(), colAxes);
        if (r != null && k != null) return new Matrix(t, rows, r.stride(), cols, k.stride(), false);
        int n = rowAxes.length + colAxes.length;
        long[] ps = new long[n], pst = new long[n];
        int p = 0;
        for (int d : rowAxes) { ps[p] = s[d]; pst[p++] = t.strides()[d]; }
        for (int d : colAxes) { ps[p] = s[d]; pst[p++] = t.strides()[d]; }
        DeviceTensor packed = copier.contiguous(c, t.view(ps, pst, t.offset()));
        return new Matrix(packed, rows, cols, cols, 1, true);
    }

    private static int[] others(int rank, int[] axes) {
        return java.util.stream.IntStream.range(0, rank).filter(d -> Arrays.stream(axes).noneMatch(a -> a == d)).toArray();
    }

    /** tensordot: a as (free rows x summed columns), b as (summed rows x free columns). */
    private DeviceTensor tensordot(ClCall c, Apply node, DeviceTensor a, DeviceTensor b) {
        long[] sa = a.shape(), sb = b.shape();
        for (int i = 0; i < axesA.length; i++)
            if (sa[axesA[i]] != sb[axesB[i]])
                throw new TheonException.ShapeError(node.op().name() + ": shape-mismatch for sum: axis " + axesA[i] + " of " + Shapes.str(sa) + " has size "
                        + sa[axesA[i]] + " but axis " + axesB[i] + " of " + Shapes.str(sb) + " has size " + sb[axesB[i]]);
        int[] freeA = others(sa.length, axesA), freeB = others(sb.length, axesB);
        long[] outShape = new long[freeA.length + freeB.length];
        for (int i = 0; i < freeA.length; i++) outShape[i] = sa[freeA[i]];
        for (int i = 0; i < freeB.length; i++) outShape[freeA.length + i] = sb[freeB[i]];
        return product(c, matrix(c, a, freeA, axesA, copierA), matrix(c, b, axesB, freeB, copierB), outShape);
    }

    /** outer: every element of a (in C order) times every element of b; a sum over nothing (K = 1). */
    private DeviceTensor outer(ClCall c, DeviceTensor a, DeviceTensor b) {
        int[] allA = java.util.stream.IntStream.range(0, a.ndim()).toArray(), allB = java.util.stream.IntStream.range(0, b.ndim()).toArray();
        return product(c, matrix(c, a, allA, new int[0], copierA), matrix(c, b, new int[0], allB, copierB), new long[]{a.size(), b.size()});
    }

    private DeviceTensor product(ClCall c, Matrix ma, Matrix mb, long[] outShape) {
        DeviceTensor out = c.alloc(outD, outShape);
        try {
            gemm.run(c, ma.rows(), mb.cols(), ma.cols(), 1, ma.operand(), mb.operand(), new Operand(out, 0, mb.cols(), 1, 0));
        } finally {
            if (ma.temp()) ma.t().buffer().release();
            if (mb.temp()) mb.t().buffer().release();
        }
        return out;
    }

    private DeviceTensor matmul(ClCall c, Apply node, DeviceTensor a0, DeviceTensor b0) {
        // vectors as a row (first operand) or a column (second), as the reference
        DeviceTensor a = a0.ndim() == 1 ? a0.view(new long[]{1, a0.shape()[0]}, new long[]{0, a0.strides()[0]}, a0.offset()) : a0;
        DeviceTensor b = b0.ndim() == 1 ? b0.view(new long[]{b0.shape()[0], 1}, new long[]{b0.strides()[0], 0}, b0.offset()) : b0;
        long[] sa = a.shape(), sb = b.shape();
        int ra = sa.length, rb = sb.length;
        long k = sa[ra - 1];
        if (k != sb[rb - 2])
            throw new TheonException.ShapeError("matmul: shapes " + Shapes.str(a0.shape()) + " and " + Shapes.str(b0.shape())
                    + " do not match in the summed axis: " + k + " != " + sb[rb - 2]);
        long[] ba = Arrays.copyOf(sa, ra - 2), bb = Arrays.copyOf(sb, rb - 2);
        long[] batch = Shapes.broadcast(ba, bb);
        if (batch == null)
            throw new TheonException.ShapeError("matmul: batch axes " + Shapes.str(ba) + " and " + Shapes.str(bb) + " of shapes "
                    + Shapes.str(a0.shape()) + " and " + Shapes.str(b0.shape()) + " cannot be broadcast together");
        checkDeclared(node, 0, a0.shape(), ba, batch);
        checkDeclared(node, 1, b0.shape(), bb, batch);
        long m = sa[ra - 2], n = sb[rb - 1];
        long[] full = concat(batch, new long[]{m, n});
        long[] resultShape = concat(batch, a0.ndim() == 1 && b0.ndim() == 1 ? new long[0] : a0.ndim() == 1 ? new long[]{n} : b0.ndim() == 1 ? new long[]{m} : new long[]{m, n});
        DeviceTensor out = c.alloc(outD, resultShape);
        long[] cst = Shapes.cStrides(full);
        long[] bsa = batchStrides(batch, ba, a.strides()), bsb = batchStrides(batch, bb, b.strides()), bsc = Arrays.copyOf(cst, batch.length);
        // merge batch axes that all three walk evenly; loop on the host over any that remain
        List<long[]> axes = new ArrayList<>();  // {size, strideA, strideB, strideC}
        for (int d = 0; d < batch.length; d++) {
            if (batch[d] == 1) continue;
            long[] ax = {batch[d], bsa[d], bsb[d], bsc[d]};
            if (!axes.isEmpty()) {
                long[] prev = axes.getLast();
                if (prev[1] == ax[0] * ax[1] && prev[2] == ax[0] * ax[2] && prev[3] == ax[0] * ax[3]) {
                    axes.set(axes.size() - 1, new long[]{prev[0] * ax[0], ax[1], ax[2], ax[3]});
                    continue;
                }
            }
            axes.add(ax);
        }
        long[] inner = axes.isEmpty() ? new long[]{1, 0, 0, 0} : axes.getLast();
        List<long[]> outer = axes.isEmpty() ? List.of() : axes.subList(0, axes.size() - 1);
        long outerCount = 1;
        for (long[] ax : outer) outerCount *= ax[0];
        for (long o = 0; o < outerCount; o++) {
            long oa = a.offset(), ob = b.offset(), oc = 0, rest = o;
            for (int d = outer.size() - 1; d >= 0; d--) {
                long[] ax = outer.get(d);
                long i = rest % ax[0];
                rest /= ax[0];
                oa += i * ax[1];
                ob += i * ax[2];
                oc += i * ax[3];
            }
            gemm.run(c, m, n, k, inner[0], new Operand(a, oa, a.strides()[ra - 2], a.strides()[ra - 1], inner[1]),
                    new Operand(b, ob, b.strides()[rb - 2], b.strides()[rb - 1], inner[2]), new Operand(out, oc, n, 1, inner[3]));
        }
        return out;
    }

    private static void checkDeclared(Apply node, int i, long[] actual, long[] own, long[] batch) {
        long[] declared = node.input(i).type().shape();
        int lead = batch.length - own.length;
        for (int d = 0; d < own.length; d++)
            if (own[d] == 1 && batch[lead + d] != 1 && declared[d] != 1)
                throw new TheonException.ShapeError("matmul: operand " + i + " of shape " + Shapes.str(actual) + " has size 1 on batch axis " + d
                        + " where the other operand has " + batch[lead + d] + ", but its type " + node.input(i).type()
                        + " does not declare that axis broadcastable; declare it with static size 1 so the broadcast is known when the graph is built");
    }

    private static long[] batchStrides(long[] batch, long[] own, long[] strides) {
        long[] st = new long[batch.length];
        int lead = batch.length - own.length;
        for (int d = lead; d < batch.length; d++) st[d] = own[d - lead] == 1 ? 0 : strides[d - lead];
        return st;
    }

    private static long[] concat(long[] x, long[] y) {
        long[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }
}
