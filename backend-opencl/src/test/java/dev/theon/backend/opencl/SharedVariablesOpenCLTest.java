package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared variables stay on the device between calls: a call transfers only its explicit inputs and its outputs,
 * a host {@code set} (or an update written by another backend) makes the next call upload the new value, and
 * {@code get} always sees the committed value.
 */
class SharedVariablesOpenCLTest {
    static final int N = 100;
    static final long MATRIX_BYTES = 4L * N * N;

    @BeforeAll static void device() { OpenCLAvailable.require(); }

    private static ClDevice dev() { return ClPlatforms.choose(""); }

    private static NDArray matrix(long seed) { return Both.random(DType.FLOAT32, new Random(seed), false, N, N); }

    /** y = sum(W x); W <- 0.5 W + 1, on the given backend. */
    private static Function step(SharedVariable w, String backend) {
        Variable x = T.fvector("x");
        return Theon.function(List.of(x), T.sum(T.dot(w, x)), Theon.options().backend(backend)
                .updates(Map.of(w, T.add(T.mul(w, 0.5f), 1f))));
    }

    @Test void updatesStayOnTheDeviceAndGetSeesThem() {
        SharedVariable w = Theon.shared(matrix(1), "W"), wRef = Theon.shared(matrix(1), "Wref");
        Function f = step(w, "opencl"), ref = step(wRef, "reference");
        NDArray x = Both.random(DType.FLOAT32, new Random(2), false, N);
        ClDevice d = dev();
        f.call(x);  // uploads W once
        ref.call(x);
        for (int i = 0; i < 3; i++) {
            long before = d.bytesToDevice.get(), back = d.bytesToHost.get();
            NDArray y = f.call(x);
            NDArray yRef = ref.call(x);
            assertEquals(4L * N, d.bytesToDevice.get() - before, "only x goes to the device");
            assertEquals(4 + MATRIX_BYTES, d.bytesToHost.get() - back, "the output and W's new value (refreshed at commit) come back");
            Both.assertClose(yRef, y, 1e-5, 1e-3, "y at step " + i);
            Both.assertClose(wRef.get(), w.get(), 1e-6, 1e-6, "W after step " + i);
        }
        String desc = f.describe();
        assertTrue(desc.contains("shared W: kept on the device between calls; transfer to device only when its host value was set since"), desc);
        assertTrue(desc.contains("transfer to host: update of W (the device copy stays for the next call; the host value is refreshed at commit)"), desc);
    }

    @Test void setOnTheHostIsSeenByTheNextCall() {
        SharedVariable w = Theon.shared(matrix(3), "W");
        Function f = step(w, "opencl");
        NDArray x = Both.random(DType.FLOAT32, new Random(4), false, N);
        f.call(x);
        NDArray fresh = matrix(5);
        w.set(fresh);
        ClDevice d = dev();
        long before = d.bytesToDevice.get();
        NDArray y = f.call(x);
        assertEquals(MATRIX_BYTES + 4L * N, d.bytesToDevice.get() - before, "the new W is uploaded");
        SharedVariable wRef = Theon.shared(fresh, "Wref");
        Both.assertClose(step(wRef, "reference").call(x), y, 1e-5, 1e-3, "y after set");
        Both.assertClose(wRef.get(), w.get(), 1e-6, 1e-6, "W after set and a step");
    }

    @Test void anotherBackendsUpdateIsSeenToo() {
        SharedVariable w = Theon.shared(matrix(6), "W");
        Function onDevice = step(w, "opencl"), onHost = step(w, "reference");
        NDArray x = Both.random(DType.FLOAT32, new Random(7), false, N);
        onDevice.call(x);
        onHost.call(x);    // the host value moves on; the device copy is now stale
        NDArray y = onDevice.call(x);
        SharedVariable wRef = Theon.shared(matrix(6), "Wref");
        Function ref = step(wRef, "reference");
        ref.call(x);
        ref.call(x);
        Both.assertClose(ref.call(x), y, 1e-5, 1e-3, "y");
        Both.assertClose(wRef.get(), w.get(), 1e-6, 1e-6, "W");
    }

    @Test void readOnlySharedValuesAreUploadedOnceForEveryFunction() {
        SharedVariable w = Theon.shared(matrix(8), "W");
        Variable x = T.fvector("x");
        Function f = Theon.function(List.of(x), T.dot(w, x), Theon.options().backend("opencl"));
        Function g = Theon.function(List.of(x), T.sum(T.mul(w, x)), Theon.options().backend("opencl"));
        NDArray v = Both.random(DType.FLOAT32, new Random(9), false, N);
        f.call(v);
        ClDevice d = dev();
        long before = d.bytesToDevice.get();
        f.call(v);
        g.call(v);
        g.call(v);
        assertEquals(3 * 4L * N, d.bytesToDevice.get() - before, "x three times; W stays on the device for both functions");
    }

    @Test void concurrentUpdatingCallsLoseNothing() throws Exception {
        SharedVariable state = Theon.shared(NDArray.zeros(DType.FLOAT32, 3), "state");
        Function inc = Theon.function(List.of(), T.sum(state), Theon.options().backend("opencl").updates(Map.of(state, T.add(state, 1f))));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) fs.add(pool.submit(() -> { for (int i = 0; i < 50; i++) inc.call(); }));
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        Both.assertClose(NDArray.of(200f, 200f, 200f), state.get(), 0, 0, "state");
    }

    @Test void concurrentCallsGetTheirOwnResults() throws Exception {
        Variable x = T.fmatrix("x");
        Function f = Theon.function(List.of(x), T.sum(T.tanh(T.dot(x, x.T())), 1), Theon.options().backend("opencl"));
        Function ref = Theon.function(List.of(x), T.sum(T.tanh(T.dot(x, x.T())), 1), Theon.options().backend("reference"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        NDArray v = Both.random(DType.FLOAT32, new Random(seed * 100 + i), false, 20 + (int) seed, 30);
                        Both.assertClose(ref.call(v), f.call(v), 1e-5, 1e-5, "thread " + seed + " call " + i);
                    }
                }));
            }
            for (Future<?> fu : fs) fu.get();
        } finally {
            pool.shutdown();
        }
    }
}
