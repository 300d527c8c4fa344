package dev.theon.simd;

import dev.theon.T;
import dev.theon.graph.Variable;
import dev.theon.ops.Index;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Shape and indexing ops on the simd backend against the reference, bit for bit, for every dtype (floats, each
 * integer width, bool), on contiguous, transposed and strided operands of random sizes (empty ones included):
 * transposes and new axes, reshape and flatten (a view, or a copy of a layout that cannot be viewed), squeeze,
 * concatenation and stacking (same and mixed dtypes), split, basic slices (steps, negative steps, integer indices),
 * advanced indexing and take (repeated and negative indices), set/inc_subtensor, shape, alloc and fill; and views
 * with unusual strides (reversed, stepped, broadcast) read by elementwise kernels and reductions.
 */
class ShapeParityTest {
    // small arrays take the multi-threaded paths too (in production a thread must get ~a millisecond of work)
    @org.junit.jupiter.api.BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @org.junit.jupiter.api.AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }

    static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.BOOL};

    /** One graph over two rank-3 operands x (a, b, c) and y (a, b, c) of one dtype. */
    record Op(String name, java.util.function.BiFunction<Variable, Variable, List<Variable>> graph) {}

    static Variable full(DType dt, String name) { return T.tensor(dt, new long[]{-1, -1, -1}, name); }

    static List<Op> ops(long[] s, Random r) {
        long a = s[0], b = s[1], c = s[2];
        List<Op> ops = new ArrayList<>();
        ops.add(new Op("transpose", (x, y) -> List.of(T.transpose(x), T.transpose(x, 1, 0, 2))));
        ops.add(new Op("dimshuffle with new axes", (x, y) -> List.of(T.dimshuffle(x, 2, "x", 0, 1), T.expandDims(x, 3))));
        ops.add(new Op("reshape", (x, y) -> List.of(T.reshape(x, -1), T.reshape(x, a * b, c), T.reshape(x, a, -1))));
        ops.add(new Op("flatten", (x, y) -> List.of(T.flatten(x), T.flatten(x, 2))));
        ops.add(new Op("squeeze", (x, y) -> List.of(T.squeeze(T.expandDims(x, 1), 1))));
        for (int axis = -1; axis < 3; axis++) {
            int ax = axis;
            ops.add(new Op("concatenate axis " + ax, (x, y) -> List.of(T.concatenate(List.of(x, y, x), ax))));
            ops.add(new Op("stack axis " + ax, (x, y) -> List.of(T.stack(List.of(x, y), ax))));
        }
        ops.add(new Op("split", (x, y) -> {
            long first = c == 0 ? 0 : r.nextLong(c + 1);
            return T.split(x, new long[]{first, c - first}, 2);
        }));
        ops.add(new Op("slices with steps", (x, y) -> List.of(
                T.get(x, Index.all(), Index.slice(1L, null, 2L)),
                T.get(x, Index.slice(null, null, -1L), Index.all(), Index.slice(null, null, -2L)),
                T.slice(x, 1, 0, Math.max(0, b - 1)))));
        if (a > 0 && c > 0) {
            long i = r.nextLong(a), k = -1 - r.nextLong(c);
            ops.add(new Op("integer indices", (x, y) -> List.of(T.get(x, i), T.get(x, Index.all(), Index.all(), k), T.get(x, i, Index.newAxis()))));
            long[] idx = {0, a - 1, -1, 0, a > 1 ? 1 : 0};
            ops.add(new Op("advanced indices, repeated and negative", (x, y) -> List.of(
                    T.get(x, (Object) idx), T.take(x, new long[]{c - 1, 0, -1}, 2), T.take(x, new long[][]{{0, -1}, {0, 0}}, 0))));
            ops.add(new Op("set_subtensor", (x, y) -> List.of(
                    T.setSubtensor(T.get(x, Index.slice(0L, 1L, null)), T.get(y, Index.slice(0L, 1L, null))),
                    T.setSubtensor(T.get(x, (Object) idx), T.get(y, (Object) idx)))));
        }
        ops.add(new Op("shape", (x, y) -> List.of(T.shape(x), T.shape(x, 2))));
        ops.add(new Op("alloc and fill", (x, y) -> List.of(T.alloc(x, 2, a, b, c), T.fill(x, T.cast(1, x.dtype())))));
        return ops;
    }

    @TestFactory Stream<DynamicTest> everyShapeAndIndexingOpEveryDtypeAndLayout() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : DTYPES) for (Lay lay : Lay.values()) for (int trial = 0; trial < 3; trial++) {
            String name = dt + " " + lay + " #" + trial;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Random r = new Random(name.hashCode());
                // sizes 1..5, with an empty middle axis now and then
                long[] s = {1 + r.nextInt(4), r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(5), 1 + r.nextInt(6)};
                NDArray xs = Parity.random(r, dt, s, -3, 3, lay);
                NDArray ys = Parity.random(r, dt, s, -3, 3, lay == Lay.TRANSPOSED ? Lay.STRIDED : Lay.TRANSPOSED);
                for (Op op : ops(s, r)) {
                    Variable x = full(dt, "x"), y = full(dt, "y");
                    Parity.both(List.of(x, y), op.graph.apply(x, y), new Object[]{xs, ys}, 0, op.name + " of " + name + " " + java.util.Arrays.toString(s));
                }
            }));
        }
        return tests.stream();
    }

    /** Integer and bool increments, with repeated indices accumulating (np.add.at). */
    @TestFactory Stream<DynamicTest> incSubtensorEveryNumericDtype() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : DTYPES) {
            if (dt == DType.BOOL) continue;
            tests.add(DynamicTest.dynamicTest(dt.toString(), () -> {
                Random r = new Random(dt.ordinal());
                Variable x = T.tensor(dt, new long[]{-1, -1}, "x"), y = T.tensor(dt, new long[]{-1, -1}, "y");
                NDArray xs = Parity.random(r, dt, new long[]{4, 6}, -3, 3, Lay.TRANSPOSED), ys = Parity.random(r, dt, new long[]{5, 6}, -3, 3, Lay.STRIDED);
                long[] idx = {0, 3, 0, -1, 1};
                List<NDArray> got = Parity.both(List.of(x, y), List.of(T.incSubtensor(T.get(x, (Object) idx), y),
                        T.incSubtensor(T.get(x, Index.slice(1L, 3L, null)), T.get(y, Index.slice(0L, 2L, null)))), new Object[]{xs, ys}, 0, "inc_subtensor " + dt);
                // and against a plain loop: rows 0 (twice) and 3 (twice, once as -1) and 1 get their increments
                for (int j = 0; j < 6; j++) {
                    double want0 = xs.getDouble(0, j) + ys.getDouble(0, j) + ys.getDouble(2, j);
                    double want3 = xs.getDouble(3, j) + ys.getDouble(1, j) + ys.getDouble(3, j);
                    if (dt.isDiscrete()) { want0 = wrap(dt, (long) want0); want3 = wrap(dt, (long) want3); }
                    assertEquals(want0, got.get(0).getDouble(0, j), dt == DType.FLOAT32 ? 1e-6 : 0, "row 0, column " + j);
                    assertEquals(want3, got.get(0).getDouble(3, j), dt == DType.FLOAT32 ? 1e-6 : 0, "row 3, column " + j);
                }
            }));
        }
        return tests.stream();
    }

    static long wrap(DType dt, long v) {
        return switch (dt) { case INT8 -> (byte) v; case INT16 -> (short) v; case INT32 -> (int) v; default -> v; };
    }

    /**
     * Views with strides no Parity layout makes (reversed, stepped, broadcast, a transposed slice) read by elementwise
     * kernels and reductions: the kernels must read through any stride, for every dtype.
     */
    @TestFactory Stream<DynamicTest> kernelsReadViewsOfAnyStride() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : DTYPES) for (long n : new long[]{5, 67, 2051}) {
            String name = dt + " " + n + " columns";
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Random r = new Random(name.hashCode());
                Variable x = T.tensor(dt, new long[]{-1, -1}, "x");
                NDArray xs = Parity.random(r, dt, new long[]{3, n}, -3, 3, Lay.CONTIGUOUS);
                Variable rev = T.get(x, Index.slice(null, null, -1L), Index.slice(null, null, -1L));
                Variable step = T.get(x, Index.all(), Index.slice(null, null, 2L));
                Variable stepRev = T.get(x, Index.all(), Index.slice(null, null, -2L));
                Variable col = T.dimshuffle(T.get(x, Index.all(), 0), 0, "x");  // (3, 1), declared broadcastable
                List<Variable> outs = new ArrayList<>(List.of(
                        T.eq(rev, x), T.maximum(step, stepRev), T.maximum(x, col), T.maximum(T.transpose(rev), T.transpose(col)),
                        T.max(rev, 1), T.argmax(stepRev, 1), T.argmin(T.transpose(step), 0), T.any(rev, 0)));
                if (dt != DType.BOOL) outs.addAll(List.of(T.add(rev, x), T.sum(stepRev, 1), T.mul(step, T.cast(2, dt))));
                Parity.both(List.of(x), outs, new Object[]{xs}, 0, "views of " + name);
            }));
        }
        return tests.stream();
    }
}
