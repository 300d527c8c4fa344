package dev.theon.compile;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.config.Config;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** Compiled functions: argument checking, updates, givens, defaults, shared values, output ownership, threads, debugging. */
class FunctionTest {

    /** A view op for these tests: its output is a transposed view of its input, as transpose/dimshuffle ops produce. */
    record ViewTranspose() implements Op {
        @Override public String name() { return "view_transpose"; }

        @Override public List<TensorType> outputTypes(List<Variable> in) {
            long[] s = in.get(0).type().shape(), r = new long[s.length];
            for (int i = 0; i < s.length; i++) r[i] = s[s.length - 1 - i];
            return List.of(TensorType.of(in.get(0).dtype(), r));
        }

        @Override public void perform(Apply node, NDArray[] in, NDArray[] out) { out[0] = in[0].transpose(); }
    }

    static Variable viewT(Variable v) { return new ViewTranspose().apply(v); }

    static <E extends Throwable> String message(Class<E> type, org.junit.jupiter.api.function.Executable call) {
        return assertThrows(type, call).getMessage();
    }

    static void assertContains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
    }

    // ------------------------------------------------------------------ argument checking

    @Test void wrongArgumentCount() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Function f = Theon.function(List.of(x, y), T.add(x, y));
        assertContains(message(TheonException.InputError.class, () -> f.call(1.0, 2.0, 3.0)), "takes 2 argument(s)", "[x, y]", "called with 3");
        assertContains(message(TheonException.InputError.class, () -> f.call(1.0)), "input 1 ('y')", "no default", "called with 1");
        assertContains(message(TheonException.InputError.class, () -> f.call()), "called with 0");
        Function g = Theon.function(List.of(x, y), List.of(x.add(y), x.sub(y)));
        assertContains(message(TheonException.InputError.class, () -> g.call(1.0, 2.0)), "2 outputs", "callAll");
    }

    @Test void wrongDType() {
        Variable x = T.fvector("x");
        Function f = Theon.function(List.of(x), T.mul(x, 2.0));
        NDArray f64 = NDArray.of(1.0, 2.0);
        String m = message(TheonException.InputError.class, () -> f.call(f64));
        assertContains(m, "input 0 ('x')", "float32", "float64 array", "allowInputDowncast");
        // with allowInputDowncast the array is converted
        Function down = Theon.function(List.of(x), T.mul(x, 2.0), Theon.options().allowInputDowncast(true));
        NDArray r = down.call(f64);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new float[]{2, 4}, r.toFloatArray());
        // widening is always fine
        assertArrayEquals(new float[]{2, 4}, f.call(NDArray.of(new short[]{1, 2})).toFloatArray());
        // Java literals convert when exact; 0.1 is no float32, so only a floatX input takes it
        assertArrayEquals(new float[]{1, 3}, f.call(new double[]{0.5, 1.5}).toFloatArray());
        assertContains(message(TheonException.InputError.class, () -> f.call(new double[]{0.1})), "input 0 ('x')", "float32", "Java float64");
        Variable vx = T.vector("vx");
        Function fx = Theon.function(List.of(vx), T.mul(vx, 2.0), Theon.options().floatX(DType.FLOAT32));
        NDArray rx = fx.call(new double[]{0.1, 0.2});
        assertEquals(DType.FLOAT32, rx.dtype());
        assertArrayEquals(new float[]{0.2f, 0.4f}, rx.toFloatArray());
        // an int64 array into an int32 input is an error; Java longs that fit are accepted
        Variable i = T.ivector("i");
        Function fi = Theon.function(List.of(i), T.add(i, 1));
        assertContains(message(TheonException.InputError.class, () -> fi.call(NDArray.of(1L, 2L))), "input 0 ('i')", "int32", "int64 array");
        NDArray ri = fi.call(new long[]{1, 2});
        assertEquals(DType.INT32, ri.dtype());
        assertArrayEquals(new long[]{2, 3}, ri.toLongArray());
        assertContains(message(TheonException.InputError.class, () -> fi.call(new long[]{1L << 40})), "input 0 ('i')", "int32", "Java int64");
        assertArrayEquals(new long[]{1, 1}, Theon.function(List.of(i), T.add(i, 1), Theon.options().allowInputDowncast(true))
                .call(NDArray.of(0L, 1L << 32)).toLongArray(), "downcasting wraps like a C cast");
        // a float literal is no integer
        Variable s = T.lscalar("s");
        Function fs = Theon.function(List.of(s), T.add(s, 1));
        assertEquals(3, fs.call(2.0).toLong(), "an integral double converts exactly");
        assertContains(message(TheonException.InputError.class, () -> fs.call(2.5)), "input 0 ('s')", "int64");
        assertContains(message(TheonException.InputError.class, () -> fs.call(0x1p63)), "int64");
        assertContains(message(TheonException.InputError.class, () -> fs.call((Object) null)), "input 0 ('s')", "null", "int64");
        assertContains(message(TheonException.InputError.class, () -> fs.call("3")), "input 0 ('s')", "int64", "String");
    }

    @Test void wrongRankAndStaticShape() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.mul(x, 2.0));
        assertContains(message(TheonException.InputError.class, () -> f.call(new double[][]{{1, 2}})),
                "input 0 ('x')", "vector (rank 1)", "float64 vector", "rank 2", "(1, 2)");
        assertContains(message(TheonException.InputError.class, () -> f.call(3.0)), "input 0 ('x')", "rank 0");
        Variable t = T.tensor(DType.FLOAT64, new long[]{-1, 3}, "t");
        Function g = Theon.function(List.of(t), T.mul(t, 2.0));
        assertArrayEquals(new long[]{2, 3}, g.call(new double[2][3]).shape());
        assertContains(message(TheonException.InputError.class, () -> g.call(new double[2][4])), "input 0 ('t')", "(?, 3)", "(2, 4)");
        Variable unnamed = T.dvector(null);
        Function h = Theon.function(List.of(unnamed), T.mul(unnamed, 2.0));
        assertContains(message(TheonException.InputError.class, () -> h.call(1.0)), "input 0 ", "rank 1");
    }

    @Test void compileErrorsNameTheirCause() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(x), T.add(x, y))),
                "'y'", "not given as an input");
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(x, x), x.mul(2))), "given twice");
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(x.add(1)), x.mul(2))), "root");
        SharedVariable s = Theon.shared(1.0, "s");
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(s), s.mul(2))), "shared");
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(x), x,
                Theon.options().updates(Map.of(s, T.cast(x, DType.FLOAT32))))), "'s'", "float64", "float32");
        assertContains(message(TheonException.CompileError.class, () -> Theon.options().update(x, y)), "'x'", "not a shared variable");
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(x), x, Theon.options().backend("nope"))),
                "nope", "reference");
    }

    // ------------------------------------------------------------------ updates

    @Test void aFailingCallLeavesEverySharedValueUnchanged() {
        SharedVariable a = Theon.shared(new double[]{1, 2, 3}, "a");
        SharedVariable b = Theon.shared(new double[]{10, 20, 30}, "b");
        Variable c = T.dvector("c");
        // a's update is fine; b's fails at run time when c's length differs from b's
        Function f = Theon.function(List.of(c), T.sum(c), Theon.options().updates(Map.of(a, T.add(a, 1.0), b, T.add(b, c))));
        assertThrows(TheonException.ShapeError.class, () -> f.call(new double[]{1, 2}));
        assertArrayEquals(new double[]{1, 2, 3}, a.get().toDoubleArray());
        assertArrayEquals(new double[]{10, 20, 30}, b.get().toDoubleArray());
        // a bad argument fails before anything runs
        assertThrows(TheonException.InputError.class, () -> f.call(new double[][]{{1}}));
        assertArrayEquals(new double[]{1, 2, 3}, a.get().toDoubleArray());
        // a good call updates both
        f.call(new double[]{1, 1, 1});
        assertArrayEquals(new double[]{2, 3, 4}, a.get().toDoubleArray());
        assertArrayEquals(new double[]{11, 21, 31}, b.get().toDoubleArray());
    }

    @Test void anUpdateOfTheWrongShapeIsRefusedBeforeAnyCommit() {
        SharedVariable a = Theon.shared(NDArray.of(1.0, 2.0), new long[]{2}, "a");
        SharedVariable b = Theon.shared(new double[]{5}, "b");
        Variable c = T.dvector("c");
        Function f = Theon.function(List.of(c), T.sum(c), Theon.options().updates(Map.of(b, T.mul(b, 2.0), a, c)));
        String m = message(TheonException.ShapeError.class, () -> f.call(new double[]{1, 2, 3}));
        assertContains(m, "'a'", "(3,)", "no shared variable was updated");
        assertArrayEquals(new double[]{5}, b.get().toDoubleArray());
        assertArrayEquals(new double[]{1, 2}, a.get().toDoubleArray());
    }

    @Test void updatesAreComputedFromTheOldValuesThenCommittedTogether() {
        SharedVariable a = Theon.shared(1.0, "a"), b = Theon.shared(2.0, "b");
        Function swap = Theon.function(List.of(), List.of(), Theon.options().updates(Map.of(a, b, b, a)));
        swap.callAll();
        assertEquals(2.0, a.get().toDouble());
        assertEquals(1.0, b.get().toDouble());
        swap.callAll();
        assertEquals(1.0, a.get().toDouble());
        assertEquals(2.0, b.get().toDouble());
        Function fib = Theon.function(List.of(), a, Theon.options().updates(Map.of(a, T.add(a, b), b, a)));
        assertEquals(1.0, fib.call().toDouble(), "outputs see the values before the updates");
        assertEquals(3.0, a.get().toDouble());
        assertEquals(1.0, b.get().toDouble());
        fib.call();
        assertEquals(4.0, a.get().toDouble());
        assertEquals(3.0, b.get().toDouble());
    }

    @Test void anOutputAndAnUpdateOfTheSameValueDoNotShareStorage() {
        SharedVariable s = Theon.shared(new double[]{1, 2}, "s");
        Variable next = T.mul(s, 2.0);
        Function f = Theon.function(List.of(), next, Theon.options().updates(Map.of(s, next)));
        NDArray out = f.call();
        out.setDouble(100, 0);
        assertArrayEquals(new double[]{2, 4}, s.get().toDoubleArray());
        Function g = Theon.function(List.of(), s, Theon.options().updates(Map.of(s, T.add(s, 1.0))));
        NDArray before = g.call();
        assertArrayEquals(new double[]{2, 4}, before.toDoubleArray());
        before.setDouble(-1, 0);
        assertArrayEquals(new double[]{3, 5}, s.get().toDoubleArray());
    }

    @Test void floatXUpdatesKeepTheSharedDType() {
        SharedVariable w = Theon.shared(new float[]{1, 2}, "w");
        Variable i = T.ivector("i");
        // floatX * int32 is floatX when built; compiled for float32 it must stay float32 (not NumPy's float64)
        Variable step = T.mul(T.cast(i, DType.FLOATX), 0.5);
        Function f = Theon.function(List.of(i), step, Theon.options().floatX(DType.FLOAT32).updates(Map.of(w, T.sub(w, step))));
        assertEquals(DType.FLOAT32, f.call(new int[]{2, 4}).dtype());
        assertArrayEquals(new float[]{0, 0}, w.get().toFloatArray());
        Variable v = T.vector("v");
        Function g = Theon.function(List.of(v, i), T.add(v, i), Theon.options().floatX(DType.FLOAT32));
        assertEquals(DType.FLOAT32, g.call(new float[]{1}, new int[]{2}).dtype());
        Function g64 = Theon.function(List.of(v, i), T.add(v, i), Theon.options().floatX(DType.FLOAT64));
        assertEquals(DType.FLOAT64, g64.call(new double[]{1}, new int[]{2}).dtype());
        Function lit = Theon.function(List.of(i), T.add(i, 0.5), Theon.options().floatX(DType.FLOAT32));
        assertEquals(DType.FLOAT32, lit.call(new int[]{1}).dtype());
        assertArrayEquals(new float[]{1.5f}, lit.call(new int[]{1}).toFloatArray());
    }

    // ------------------------------------------------------------------ unused inputs, givens, defaults

    @Test void onUnusedInput() {
        Variable x = T.dscalar("x"), unused = T.dscalar("unused");
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(x, unused), x.mul(2))),
                "input 1 ('unused')", "not used", "onUnusedInput");
        Function warn = Theon.function(List.of(x, unused), x.mul(2), Theon.options().onUnusedInput("warn"));
        assertEquals(6.0, warn.call(3.0, 100.0).toDouble());
        Function ignore = Theon.function(List.of(x, unused), x.mul(2), Theon.options().onUnusedInput(Options.OnUnused.IGNORE));
        assertEquals(6.0, ignore.call(3.0, 100.0).toDouble());
        assertThrows(TheonException.InputError.class, () -> ignore.call(3.0), "an unused input is still an input");
        assertContains(message(IllegalArgumentException.class, () -> Theon.options().onUnusedInput("loud")), "loud", "raise, warn or ignore");
    }

    @Test void givens() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable z = T.add(x, T.mul(y, 10.0));
        assertEquals(63.0, Theon.function(List.of(x), z, Theon.options().givens(Map.of(y, T.mul(x, 2.0)))).call(3.0).toDouble());
        assertEquals(53.0, Theon.function(List.of(x), z, Theon.options().given(y, 5.0)).call(3.0).toDouble());
        // an intermediate can be replaced too
        Variable inner = T.mul(y, 10.0);
        Variable outer = T.add(x, inner);
        assertEquals(10.0, Theon.function(List.of(x), outer, Theon.options().given(inner, T.mul(x, 4.0))).call(2.0).toDouble());
        // a shared variable replaced by an input is left alone
        SharedVariable s = Theon.shared(7.0, "s");
        Function f = Theon.function(List.of(x), T.mul(s, 2.0), Theon.options().given(s, x));
        assertEquals(8.0, f.call(4.0).toDouble());
        assertEquals(7.0, s.get().toDouble());
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(x), z, Theon.options().given(x, y))),
                "'x'", "input of the function");
        Variable m = T.dmatrix("m");
        assertContains(message(TheonException.CompileError.class, () -> Theon.function(List.of(x, m), z, Theon.options().given(y, m))),
                "'y'", "'m'", "rank");
    }

    @Test void inputsWithDefaults() {
        Variable x = T.dscalar("x"), y = T.dvector("y"), w = T.dscalar("w");
        NDArray dflt = NDArray.of(1.0, 2.0);
        Function f = Theon.function(List.of(x, Theon.in(y, dflt), Theon.in(w, 10)), T.add(T.mul(y, x), w));
        assertArrayEquals(new double[]{12, 14}, f.call(2.0).toDoubleArray());
        assertArrayEquals(new double[]{13, 13}, f.call(2.0, new double[]{1.5, 1.5}).toDoubleArray());
        assertArrayEquals(new double[]{2, 4}, f.call(2.0, dflt, 0.0).toDoubleArray());
        // the default belongs to the function: changing the array afterwards, or a result, changes nothing
        dflt.setDouble(100, 0);
        NDArray r = f.call(1.0);
        assertArrayEquals(new double[]{11, 12}, r.toDoubleArray());
        r.setDouble(-1, 0);
        assertArrayEquals(new double[]{11, 12}, f.call(1.0).toDoubleArray());
    }

    // ------------------------------------------------------------------ shared variables

    @Test void sharedValuesAreCopiedInAndOut() {
        NDArray init = NDArray.of(1.0, 2.0);
        SharedVariable s = Theon.shared(init, "s");
        init.setDouble(100, 0);
        assertArrayEquals(new double[]{1, 2}, s.get().toDoubleArray(), "the initial value was copied");
        NDArray got = s.get(false);
        got.setDouble(100, 0);
        assertArrayEquals(new double[]{1, 2}, s.get().toDoubleArray(), "get() returns a copy");
        NDArray v = NDArray.of(3.0, 4.0);
        s.set(v);
        v.setDouble(100, 0);
        assertArrayEquals(new double[]{3, 4}, s.get().toDoubleArray(), "set() copies");
        Object asObject = v;
        s.set(asObject);
        v.setDouble(-7, 1);
        assertArrayEquals(new double[]{100, 4}, s.get().toDoubleArray(), "set(Object) of an NDArray copies too");
        // borrow shares
        NDArray mine = NDArray.of(5.0, 6.0);
        s.set(mine, true);
        assertSame(mine, s.get(true));
        mine.setDouble(50, 0);
        assertEquals(50, s.get().getDouble(0));
        SharedVariable borrowed = Theon.shared(mine, "b", true);
        assertSame(mine, borrowed.get(true));
        // Java values convert when exact
        s.set(new int[]{1, 2, 3});
        assertArrayEquals(new double[]{1, 2, 3}, s.get().toDoubleArray());
        assertEquals(DType.FLOAT64, s.get().dtype());
    }

    @Test void setChecksDTypeAndRank() {
        SharedVariable s = Theon.shared(new double[][]{{1, 2}}, "s");
        assertArrayEquals(new long[]{1, -1}, s.type().shape(), "size-1 dims are static, others may change");
        s.set(NDArray.of(new double[][]{{1, 2, 3}}));
        assertContains(message(TheonException.InputError.class, () -> s.set(NDArray.of(new float[][]{{1, 2}}))), "'s'", "float64", "float32");
        assertContains(message(TheonException.InputError.class, () -> s.set(NDArray.of(1.0, 2.0))), "'s'", "rank");
        assertContains(message(TheonException.InputError.class, () -> s.set(NDArray.of(new double[][]{{1}, {2}}))), "'s'", "(2, 1)");
        SharedVariable i = Theon.shared(new int[]{1}, "i");
        assertContains(message(TheonException.InputError.class, () -> i.set(new double[]{0.5})), "'i'", "int32", "precision");
        assertContains(message(TheonException.InputError.class, () -> i.set((NDArray) null)), "'i'", "null");
        assertContains(message(TheonException.InputError.class, () -> i.set("x")), "'i'", "String");
        assertArrayEquals(new long[]{1}, i.get().toLongArray());
    }

    // ------------------------------------------------------------------ returned outputs belong to the caller

    @Test void resultsOfSuccessiveCallsDoNotAliasEachOther() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.mul(T.add(x, 1.0), 2.0));
        NDArray first = f.call(new double[]{1, 2});
        NDArray second = f.call(new double[]{10, 20});
        assertArrayEquals(new double[]{4, 6}, first.toDoubleArray());
        assertArrayEquals(new double[]{22, 42}, second.toDoubleArray());
        assertFalse(first.sharesStorageWith(second));
        // a view of an intermediate (the transposed sum) is returned: the intermediate must not be reused
        Variable m = T.dmatrix("m");
        Function g = Theon.function(List.of(m), viewT(T.add(m, 1.0)));
        NDArray r1 = g.call(new double[][]{{1, 2}, {3, 4}});
        NDArray r2 = g.call(new double[][]{{10, 20}, {30, 40}});
        assertArrayEquals(new double[][]{{2, 4}, {3, 5}}, r1.toDoubleMatrix());
        assertArrayEquals(new double[][]{{11, 31}, {21, 41}}, r2.toDoubleMatrix());
        // with the view in the middle and two outputs reading it
        Function h = Theon.function(List.of(m), List.of(T.mul(viewT(T.add(m, 1.0)), 2.0), T.add(m, 1.0)));
        List<NDArray> h1 = h.callAll(new double[][]{{1, 2}, {3, 4}});
        List<NDArray> h2 = h.callAll(new double[][]{{0, 0}, {0, 0}});
        assertArrayEquals(new double[][]{{4, 8}, {6, 10}}, h1.get(0).toDoubleMatrix());
        assertArrayEquals(new double[][]{{2, 3}, {4, 5}}, h1.get(1).toDoubleMatrix());
        assertArrayEquals(new double[][]{{1, 1}, {1, 1}}, h2.get(1).toDoubleMatrix());
    }

    @Test void transposedAndSlicedViewsReturnedFromTheLibraryOps() {
        Variable m = T.dmatrix("m");
        Function f = Theon.function(List.of(m), List.of(T.transpose(T.add(m, 1.0)), T.slice(m, 0, 0, 1), T.transpose(m)));
        NDArray arg = NDArray.of(new double[][]{{1, 2}, {3, 4}});
        List<NDArray> first = f.callAll(arg);
        List<NDArray> second = f.callAll(NDArray.of(new double[][]{{10, 20}, {30, 40}}));
        assertArrayEquals(new double[][]{{2, 4}, {3, 5}}, first.get(0).toDoubleMatrix(), "unchanged by the second call");
        assertArrayEquals(new double[][]{{11, 31}, {21, 41}}, second.get(0).toDoubleMatrix());
        first.get(1).setDouble(-1, 0, 0);
        first.get(2).setDouble(-1, 1, 0);
        assertArrayEquals(new double[][]{{1, 2}, {3, 4}}, arg.toDoubleMatrix(), "views of an argument are copied out");
        assertArrayEquals(new double[][]{{1, 2}}, f.callAll(arg).get(1).toDoubleMatrix());
    }

    @Test void resultsNeverAliasArgumentsConstantsOrEachOther() {
        Variable x = T.dvector("x");
        NDArray arg = NDArray.of(1.0, 2.0);
        NDArray same = Theon.function(List.of(x), x).call(arg);
        same.setDouble(100, 0);
        assertEquals(1, arg.getDouble(0));
        NDArray viewOfArg = Theon.function(List.of(x), viewT(x)).call(arg);
        viewOfArg.setDouble(100, 0);
        assertEquals(1, arg.getDouble(0));
        // a constant output, or a view of one, is copied: the next call sees the constant intact
        Variable c = T.constant(new double[][]{{1, 2}, {3, 4}});
        Function fc = Theon.function(List.of(x), List.of(c, viewT(c), T.add(x, 1.0)));
        List<NDArray> r = fc.callAll(arg);
        r.get(0).setDouble(-1, 0, 0);
        r.get(1).setDouble(-1, 0, 1);
        List<NDArray> again = fc.callAll(arg);
        assertArrayEquals(new double[][]{{1, 2}, {3, 4}}, again.get(0).toDoubleMatrix());
        assertArrayEquals(new double[][]{{1, 3}, {2, 4}}, again.get(1).toDoubleMatrix());
        // the same output twice gives two arrays
        Variable y = T.add(x, 1.0);
        List<NDArray> twice = Theon.function(List.of(x), List.of(y, y)).callAll(arg);
        assertFalse(twice.get(0).sharesStorageWith(twice.get(1)));
        // a shared value read through a view
        SharedVariable s = Theon.shared(new double[][]{{1, 2}}, "s");
        NDArray st = Theon.function(List.of(), viewT(s)).call();
        st.setDouble(100, 0, 0);
        assertArrayEquals(new double[][]{{1, 2}}, s.get().toDoubleMatrix());
        assertThrows(UnsupportedOperationException.class, () -> twice.set(0, arg), "the result list is read-only");
    }

    // ------------------------------------------------------------------ threads

    @Test void concurrentUpdatesAreAtomic() throws Exception {
        SharedVariable state = Theon.shared(0L, "state");
        Function inc = Theon.function(List.of(), List.of(), Theon.options().updates(Map.of(state, T.add(state, 1))));
        runInThreads(8, t -> { for (int k = 0; k < 1000; k++) inc.callAll(); return null; });
        assertEquals(8000, state.get().toLong());
        // two functions updating the same variable, and one that reads two variables updated together
        SharedVariable a = Theon.shared(0L, "a"), b = Theon.shared(0L, "b");
        Function up = Theon.function(List.of(), List.of(), Theon.options().updates(Map.of(a, T.add(a, 1), b, T.add(b, 1))));
        Function down = Theon.function(List.of(), List.of(), Theon.options().updates(Map.of(b, T.sub(b, 1), a, T.sub(a, 1))));
        Function diff = Theon.function(List.of(), T.sub(a, b));
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        runInThreads(6, t -> {
            for (int k = 0; k < 500; k++) {
                if (t % 3 == 0) up.callAll();
                else if (t % 3 == 1) down.callAll();
                else seen.add(diff.call().toLong());
            }
            return null;
        });
        assertEquals(0, a.get().toLong());
        assertEquals(0, b.get().toLong());
        assertTrue(seen.stream().allMatch(d -> d == 0), "readers always see both updates of a call or neither");
    }

    @Test void concurrentCallsReturnIndependentResults() throws Exception {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.mul(T.add(x, 1.0), x));
        runInThreads(8, t -> {
            for (int k = 0; k < 1000; k++) {
                double v = t * 1000 + k;
                NDArray r = f.call(new double[]{v, -v});
                assertArrayEquals(new double[]{(v + 1) * v, (-v + 1) * -v}, r.toDoubleArray());
            }
            return null;
        });
    }

    interface Task { Void run(int thread) throws Exception; }

    static void runInThreads(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                int id = t;
                futures.add(pool.submit((Callable<Void>) () -> task.run(id)));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> { for (Future<Void> fu : futures) fu.get(); });
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ debugging

    @Test void debugModeRaisesOnNaNAndNamesTheNode() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable d = T.div(x, y);
        assertTrue(Double.isNaN(Theon.function(List.of(x, y), d).call(0.0, 0.0).toDouble()), "FAST_RUN just computes NaN");
        Function dbg = Theon.function(List.of(x, y), d, Theon.options().mode("DEBUG"));
        assertEquals(2.0, dbg.call(4.0, 2.0).toDouble());
        assertContains(message(TheonException.NanError.class, () -> dbg.call(0.0, 0.0)), "true_div", "x", "y", "NaN", "DEBUG");
        Function guarded = Theon.function(List.of(x, y), T.add(T.div(1.0, y), x), Theon.options().nanGuard(true));
        assertContains(message(TheonException.NanError.class, () -> guarded.call(1.0, 0.0)), "true_div", "Inf", "nan_guard");
        assertEquals(Mode.DEBUG, dbg.mode());
        assertTrue(dbg.describe().contains("NaN/Inf checked"));
    }

    @Test void nanGuardFromTheConfiguration() {
        Config cfg = Config.get();
        try {
            cfg.set("nan_guard", "true");
            Variable x = T.dvector("x");
            Function f = Theon.function(List.of(x), T.log(x));
            assertContains(message(TheonException.NanError.class, () -> f.call(new double[]{1, -1})), "log", "NaN", "flat index 1");
        } finally {
            cfg.unset("nan_guard");
        }
        Variable x = T.dvector("x");
        assertTrue(Double.isNaN(Theon.function(List.of(x), T.log(x)).call(new double[]{-1}).toDouble()));
    }

    @Test void highExceptionVerbosityShowsWhereUserCodeCreatedTheNode() {
        Config cfg = Config.get();
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable quiet = T.div(x, y);
        String low = message(TheonException.NanError.class, () -> Theon.function(List.of(x, y), quiet, Theon.options().mode("DEBUG")).call(0.0, 0.0));
        assertFalse(low.contains("created at"), low);
        Variable loud;
        try {
            cfg.set("exception_verbosity", "high");
            loud = T.div(x, y);
        } finally {
            cfg.unset("exception_verbosity");
        }
        Variable node = loud;
        String high = message(TheonException.NanError.class, () -> Theon.function(List.of(x, y), node, Theon.options().mode("DEBUG")).call(0.0, 0.0));
        assertContains(high, "created at", "FunctionTest", "FunctionTest.java:");
        // runtime shape errors and graph-building type errors show it too
        Variable a, b, sum, three;
        try {
            cfg.set("exception_verbosity", "high");
            a = T.dvector("a");
            b = T.dvector("b");
            sum = T.add(a, b);
            three = T.tensor(DType.FLOAT64, new long[]{3}, "three");
        } finally {
            cfg.unset("exception_verbosity");
        }
        Function f = Theon.function(List.of(a, b), sum);
        assertContains(message(TheonException.ShapeError.class, () -> f.call(new double[]{1, 2}, new double[]{1, 2, 3})),
                "add", "created at", "FunctionTest.java:");
        Variable t3 = three;
        assertContains(message(TheonException.TypeError.class, () -> T.add(t3, T.tensor(DType.FLOAT64, new long[]{4}, "four"))),
                "'three'", "created at", "FunctionTest.java:", "'four'");
    }

    @Test void describeListsNodesAndBackend() {
        Variable x = T.dvector("x");
        // FAST_COMPILE keeps mul and exp as two nodes (FAST_RUN fuses them: see rewrite.FusionTest)
        Function f = Theon.function(List.of(x), T.exp(T.mul(x, 2.0)), Theon.options().name("double_exp").mode("FAST_COMPILE"));
        // no backend named: the configured one (THEON_FLAGS may name it; "auto" is simd when its module is present)
        String configured = Config.get().backend();
        assertEquals(dev.theon.backend.Backends.resolve(configured), f.backend(), "backend for the configured '" + configured + "'");
        String d = f.describe();
        assertContains(d, "double_exp", "backend " + f.backend(), "mul", "exp", "float64");
        // the kernel that runs each node, in the backend's words
        switch (f.backend()) {
            case "reference" -> assertContains(d, "device cpu", "reference perform", "buffers: ");
            case "simd" -> assertContains(d, "device cpu", "fused", "2 node(s) on simd kernels, 0 on the reference fallback", "buffers: ");
            default -> { }
        }
        assertFalse(d.contains("FALLBACK"), d);
        assertEquals(DType.FLOAT64, f.floatX());
        assertEquals(2, f.graph().nodes().size());
        String id = Theon.function(List.of(x), x).describe();
        assertContains(id, "no nodes");
    }

    @Test void evalCompilesOncePerInputSet() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable z = T.add(T.mul(x, 2.0), y);
        assertEquals(7.0, z.eval(Map.of(x, 2.0, y, 3.0)).toDouble());
        assertEquals(13.0, z.eval(Map.of(y, 3.0, x, 5.0)).toDouble());
        Function f1 = Eval.function(z, Set.of(x, y));
        assertSame(f1, Eval.function(z, List.of(y, x)), "the same function serves the same inputs in any order");
        Variable w = T.mul(x, 3.0);
        assertEquals(6.0, w.eval(Map.of(x, 2.0)).toDouble());
        assertSame(Eval.function(w, Set.of(x)), Eval.function(w, Set.of(x)));
        assertNotSame(Eval.function(w, Set.of(x)), Eval.function(w, Set.of(x, y)), "another input set compiles another function");
        assertEquals(6.0, T.constant(6.0).eval().toDouble());
        Config cfg = Config.get();
        try {
            cfg.set("floatX", "float32");
            Variable v = T.scalar("v");
            assertEquals(DType.FLOAT32, T.mul(v, 2.0).eval(Map.of(v, 1.5)).dtype());
        } finally {
            cfg.unset("floatX");
        }
    }
}
