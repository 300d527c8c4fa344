package dev.theon;

import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The Theano tutorial's examples that need no gradients, with the values the tutorial documents. */
class TutorialTest {

    @Test void addingTwoScalars() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable z = T.add(x, y);
        Function f = Theon.function(List.of(x, y), z);
        assertEquals(5.0, f.call(2.0, 3.0).toDouble());
        assertEquals(28.4, f.call(16.3, 12.1).toDouble(), 1e-12);
        assertEquals(DType.FLOAT64, f.call(2, 3).dtype());
    }

    @Test void addingTwoMatrices() {
        Variable x = T.dmatrix("x"), y = T.dmatrix("y");
        Function f = Theon.function(List.of(x, y), x.add(y));
        NDArray r = f.call(new double[][]{{1, 2}, {3, 4}}, new double[][]{{10, 20}, {30, 40}});
        assertArrayEquals(new double[][]{{11, 22}, {33, 44}}, r.toDoubleMatrix());
    }

    @Test void logisticFunction() {
        Variable x = T.dmatrix("x");
        Variable s = T.div(1.0, T.add(1.0, T.exp(T.neg(x))));
        Function logistic = Theon.function(List.of(x), s);
        double[][] out = logistic.call(new double[][]{{0, 1}, {-1, -2}}).toDoubleMatrix();
        double[][] expect = {{0.5, 0.73105858}, {0.26894142, 0.11920292}};
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) assertEquals(expect[i][j], out[i][j], 1e-8);
        // the tanh form gives the same values
        Variable s2 = T.add(1.0, T.tanh(T.div(x, 2.0))).div(2.0);
        double[][] out2 = Theon.function(List.of(x), s2).call(new double[][]{{0, 1}, {-1, -2}}).toDoubleMatrix();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) assertEquals(expect[i][j], out2[i][j], 1e-8);
    }

    @Test void severalOutputs() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        Variable diff = a.sub(b), absDiff = T.abs(diff), diffSquared = T.mul(diff, diff);
        Function f = Theon.function(List.of(a, b), List.of(diff, absDiff, diffSquared));
        List<NDArray> r = f.callAll(new double[][]{{1, 1}, {1, 1}}, new double[][]{{0, 1}, {2, 3}});
        assertArrayEquals(new double[][]{{1, 0}, {-1, -2}}, r.get(0).toDoubleMatrix());
        assertArrayEquals(new double[][]{{1, 0}, {1, 2}}, r.get(1).toDoubleMatrix());
        assertArrayEquals(new double[][]{{1, 0}, {1, 4}}, r.get(2).toDoubleMatrix());
    }

    @Test void defaultValue() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Function f = Theon.function(List.of(x, Theon.in(y, 1.0)), T.add(x, y));
        assertEquals(34.0, f.call(33.0).toDouble());
        assertEquals(35.0, f.call(33.0, 2.0).toDouble());
    }

    @Test void sharedStateAccumulator() {
        SharedVariable state = Theon.shared(NDArray.of(0L), "state");
        Variable inc = T.lscalar("inc");
        Function accumulator = Theon.function(List.of(inc), state, Theon.options().updates(Map.of(state, T.add(state, inc))));
        assertEquals(0, accumulator.call(1).toLong());
        assertEquals(1, state.get().toLong());
        assertEquals(1, accumulator.call(300).toLong());
        assertEquals(301, state.get().toLong());
        state.set(NDArray.of(-1L));
        assertEquals(-1, accumulator.call(3).toLong());
        assertEquals(2, state.get().toLong());
        Function decrementor = Theon.function(List.of(inc), state, Theon.options().updates(Map.of(state, T.sub(state, inc))));
        assertEquals(2, decrementor.call(2).toLong());
        assertEquals(0, state.get().toLong());
        // givens replace the shared variable without touching it
        Variable foo = T.scalar("foo").cast(DType.INT64);
        Variable fooIn = T.lscalar("foo");
        Variable fn = T.add(T.mul(state, 2), inc);
        Function skip = Theon.function(List.of(inc, fooIn), fn, Theon.options().givens(Map.of(state, fooIn)));
        assertEquals(7, skip.call(1, 3).toLong());
        assertEquals(0, state.get().toLong());
        assertNotNull(foo);
    }

    @Test void evalAndPrinting() {
        Variable x = T.dscalar("x");
        Variable y = T.pow(x, 2);
        assertEquals(100.0, y.eval(Map.of(x, 10.0)).toDouble());
        assertEquals("(x ** 2)", Theon.pp(y));
        assertTrue(Theon.debugprint(y).contains("pow"));
        assertTrue(Theon.toDot(y).startsWith("digraph"));
    }

    @Test void sumOverAxes() {
        Variable a = T.dmatrix("a");
        NDArray v = NDArray.of(new double[][]{{1, 2, 3}, {4, 5, 6}});
        assertEquals(21.0, T.sum(a).eval(Map.of(a, v)).toDouble());
        assertArrayEquals(new double[]{5, 7, 9}, T.sum(a, 0).eval(Map.of(a, v)).toDoubleArray());
        assertArrayEquals(new double[]{6, 15}, T.sum(a, -1).eval(Map.of(a, v)).toDoubleArray());
        assertArrayEquals(new long[]{2, 1}, T.sum(a, new int[]{1}, true).eval(Map.of(a, v)).shape());
        // a transposed (non-contiguous) view reduces the same way
        assertArrayEquals(new double[]{6, 15}, T.sum(a, 0).eval(Map.of(a, v.transpose())).toDoubleArray());
    }
}
