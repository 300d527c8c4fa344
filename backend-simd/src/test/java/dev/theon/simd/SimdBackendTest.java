package dev.theon.simd;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.backend.Backends;
import dev.theon.backend.CompileOptions;
import dev.theon.compile.Function;
import dev.theon.compile.Mode;
import dev.theon.graph.Apply;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The backend as a whole: found through the SPI, chosen per function, visible fallbacks, DEBUG and NaN checks. */
class SimdBackendTest {

    static Function simd(List<Variable> in, Variable out) { return Theon.function(in, out, Theon.options().backend("simd")); }

    @Test void foundThroughTheServiceLoaderAndChosenPerFunction() {
        assertTrue(Backends.all().containsKey("simd"), Backends.all().keySet().toString());
        assertTrue(Backends.get("simd").devices().get(0).startsWith("cpu"));
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Function f = simd(List.of(x, y), T.add(x, y));
        assertEquals("simd", f.backend());
        assertEquals(5.0, f.call(2.0, 3.0).toDouble());
        assertTrue(f.describe().contains("backend simd"), f.describe());
        // the reference backend stays one option away
        assertEquals("reference", Theon.function(List.of(x, y), T.add(x, y), Theon.options().backend("reference")).backend());
    }

    @Test void isTheDefaultCpuBackendWhenOnTheClassPath() {
        assertEquals("simd", Backends.resolve("auto"));
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.exp(x));   // no backend named: the configured default, auto
        assertEquals("simd", f.backend());
        assertEquals(Math.E, f.call((Object) new double[]{1}).flatDouble(0), 1e-15);
    }

    @Test void opsWithoutAKernelFallBackVisibly() {
        Variable a = T.lvector("a"), b = T.lvector("b");
        Function f = simd(List.of(a, b), T.mul(T.dot(a, b), 2));
        assertEquals(22, f.call(new long[]{1, 2}, new long[]{3, 4}).toLong());
        String d = f.describe();
        assertTrue(d.contains("FALLBACK reference perform") && d.contains("dot of int64"), d);
        assertTrue(d.contains("1 on the reference fallback"), d);
    }

    @Test void nanGuardNamesTheNode() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.log(x), Theon.options().backend("simd").nanGuard(true));
        assertEquals(0.0, f.call(new double[]{1}).toDoubleArray()[0]);
        TheonException.NanError e = assertThrows(TheonException.NanError.class, () -> f.call(new double[]{1, -1}));
        assertTrue(e.getMessage().contains("log") && e.getMessage().contains("NaN") && e.getMessage().contains("flat index 1"), e.getMessage());
    }

    @Test void debugModeCrossChecksEveryNodeAgainstTheReference() {
        Variable x = T.fmatrix("x");
        Variable y = T.add(T.tanh(x), T.mul(x, 2f));
        Function f = Theon.function(List.of(x), y, Theon.options().backend("simd").mode(Mode.DEBUG));
        assertTrue(f.describe().contains("cross-checked"), f.describe());
        NDArray r = f.call(new float[][]{{0.5f, -1}, {2, 3}});
        assertEquals(Math.tanh(0.5) + 1, r.getDouble(0, 0), 1e-6);
    }

    @Test void aKernelThatDisagreesWithTheReferenceIsReported() {
        Variable x = T.dvector("x");
        Apply node = T.exp(x).owner();
        Kernel wrong = new Kernel() {
            @Override public void run(NDArray[] in, NDArray[] out) { out[0] = NDArray.fromDoubles(DType.FLOAT64, new double[]{1, 2}, 2); }
            @Override public String describe() { return "a deliberately wrong kernel"; }
        };
        ReferenceCheck check = new ReferenceCheck(new CompileOptions("simd", DType.FLOAT64, Mode.DEBUG, false, "", Set.of(), Set.of()));
        NDArray[] out = new NDArray[1];
        NDArray[] in = {NDArray.of(0.0, 0.0)};
        wrong.run(in, out);
        TheonException.RuntimeError e = assertThrows(TheonException.RuntimeError.class, () -> check.afterNode(node, wrong, in, out));
        assertTrue(e.getMessage().contains("DEBUG cross-check") && e.getMessage().contains("flat index 1") && e.getMessage().contains("exp"), e.getMessage());
    }

    @Test void shapeErrorsNameTheNode() {
        Variable a = T.dvector("a"), b = T.dvector("b");
        Function f = simd(List.of(a, b), T.add(a, b));
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class, () -> f.call(new double[]{1, 2}, new double[]{1, 2, 3}));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("(2,)") && e.getMessage().contains("(3,)"), e.getMessage());
        // an unknown dim that turns out to be 1 is refused as by the reference
        TheonException.ShapeError e2 = assertThrows(TheonException.ShapeError.class, () -> f.call(new double[]{1, 2}, new double[]{1}));
        assertTrue(e2.getMessage().contains("broadcastable"), e2.getMessage());
    }

    @Test void returnedOutputsAreOwnedByTheCaller() {
        Variable x = T.dvector("x");
        Function f = simd(List.of(x), T.mul(x, 2.0));
        NDArray first = f.call(new double[]{1, 2});
        NDArray second = f.call(new double[]{3, 4});
        assertArrayEquals(new double[]{2, 4}, first.toDoubleArray(), "a later call must not overwrite an earlier result");
        assertArrayEquals(new double[]{6, 8}, second.toDoubleArray());
        // an output that is an input (or a view of one) is copied
        NDArray in = NDArray.of(1.0, 2.0);
        Function id = Theon.function(List.of(x), T.transpose(x), Theon.options().backend("simd"));
        assertFalse(id.call(in).sharesStorageWith(in));
    }
}
