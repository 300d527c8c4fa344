package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.ops.Index;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Views on the device (no kernel), ops without a kernel falling back to the host with their transfers shown, and
 * the contracts on returned arrays.
 */
class ViewsAndFallbackOpenCLTest {
    @BeforeAll static void device() { OpenCLAvailable.require(); }

    @Test void viewsAreStridesOverTheSameBuffer() {
        Variable x = T.fmatrix("x"), y = T.tensor(DType.FLOAT32, 3, "y"), i = T.lscalar("i");
        Random rnd = new Random(1);
        NDArray vx = Both.random(DType.FLOAT32, rnd, false, 6, 4), vy = Both.random(DType.FLOAT32, rnd, false, 2, 3, 4);
        List<Variable> outs = List.of(
                T.add(x.T(), 1f),                                        // a transposed read
                T.mul(x.dimshuffle("x", 1, 0), 2f),                      // a new axis
                T.reshape(x, 3, 8), T.reshape(x.T(), 8, 3),               // reshape: a view; of a transpose: a copy first
                T.flatten(y), T.exp(T.flatten(y.dimshuffle(2, 0, 1))),
                T.get(x, Index.slice(1L, null, 2L)), T.get(x, i), T.slice(y, -1, 1, 3),
                T.reshape(x.T(), T.shape(y.dimshuffle(2, 0, 1))),                  // a symbolic target shape, computed on the host from shapes only
                x.T());                                                   // an output that is a view: downloaded contiguous
        Function f = Both.check(List.of(x, y, i), outs, new Object[]{vx, vy, NDArray.of(-2L)}, 1e-6, 0);
        String d = f.describe();
        assertTrue(d.contains("view of the device buffer (no kernel)"), d);
        assertTrue(d.contains("reads only the shape of its input; no transfer"), d);
        assertFalse(d.contains("FALLBACK"), d);
    }

    @Test void opsWithoutAKernelRunOnTheHostWithVisibleTransfers() {
        Variable x = T.fmatrix("x"), idx = T.lvector("idx");
        Variable am = T.argmax(T.mul(x, 2f), 1);                          // no kernel: host, on a value made on the device
        Variable out = T.add(T.cast(am, DType.FLOAT32), T.sum(x, 1));   // back on the device
        Variable taken = T.take(x, idx, 0);                               // advanced indexing: host
        Random rnd = new Random(2);
        Function f = Both.check(List.of(x, idx), List.of(out, T.exp(taken)), new Object[]{Both.random(DType.FLOAT32, rnd, false, 5, 7), NDArray.of(4L, 0L, 4L)}, 1e-6, 0);
        String d = f.describe();
        assertTrue(d.contains("FALLBACK on the host, reference perform (no OpenCL kernel for argmax"), d);
        assertTrue(d.contains("transfer to host: <float32 matrix (?, ?)> (read by a host op)"), d);
        assertTrue(d.contains("transfer to device: <int64 vector (?,)> (result of a host op"), d);
        assertTrue(d.contains("2 node(s) fall back to the host"), d);
        // x is on the host already: the fallback reads it there, with no transfer back
        assertFalse(d.contains("transfer to host: x"), d);
    }

    @Test void returnedArraysAreTheCallersOwn() {
        Variable x = T.fvector("x");
        Function f = Theon.function(List.of(x), List.of(x, T.exp(x), T.exp(x), T.constant(NDArray.of(1f, 2f))),
                Theon.options().backend("opencl"));
        NDArray in = NDArray.of(1f, 2f, 3f);
        List<NDArray> out = f.callAll(in);
        assertFalse(out.get(0).sharesStorageWith(in));
        assertFalse(out.get(1).sharesStorageWith(out.get(2)));
        out.get(1).setFlatDouble(0, 99);
        assertEquals(Math.exp(1f), out.get(2).flatDouble(0), 1e-6);
        out.get(3).setFlatDouble(0, 7);
        assertEquals(1.0, f.callAll(in).get(3).flatDouble(0));
        assertTrue(f.describe().contains("transfer to host: output 1, output 2") || f.describe().contains("output 2"), f.describe());
    }

    @Test void nanGuardChecksEveryNodeOnTheDevice() {
        Variable x = T.fvector("x");
        Function f = Theon.function(List.of(x), T.mul(T.log(x), 2f), Theon.options().backend("opencl").nanGuard(true));
        assertTrue(f.describe().contains("NaN/Inf checked after every node"), f.describe());
        assertEquals(2 * Math.log(2), f.call(NDArray.of(1f, 2f)).flatDouble(1), 1e-6);
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.theon.TheonException.NanError.class, () -> f.call(NDArray.of(1f, -1f)));
        assertTrue(e.getMessage().contains("log") && e.getMessage().contains("produced NaN in output 0 at flat index 1") && e.getMessage().contains("nan_guard"), e.getMessage());
    }

    @Test void describeListsEveryTransfer() {
        Variable x = T.fmatrix("x"), w = T.fmatrix("w");
        Function f = Theon.function(List.of(x, w), T.sum(T.tanh(T.dot(x, w))), Theon.options().backend("opencl"));
        String d = f.describe();
        assertTrue(d.startsWith("function [x, w] -> 1 output(s)\n") && d.contains("\nbackend opencl (device "), d);
        assertTrue(d.contains("transfer to device: x (explicit input, every call)") && d.contains("transfer to device: w (explicit input, every call)"), d);
        assertTrue(d.contains("transfer to host: output 0"), d);
    }
}
