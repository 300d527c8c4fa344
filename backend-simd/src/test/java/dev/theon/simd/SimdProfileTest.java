package dev.theon.simd;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.backend.Profile;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SimdProfileTest {
    @Test void timesEveryKernelAndNamesIt() {
        Variable x = T.fmatrix("x"), w = T.fmatrix("w");
        Function f = Theon.function(List.of(x, w), T.sum(T.exp(T.dot(x, w))), Theon.options().backend("simd").profile(true));
        NDArray a = NDArray.full(DType.FLOAT32, 0.01, 64, 64);
        for (int i = 0; i < 4; i++) f.call(a, a);
        Profile p = f.profile();
        assertEquals(4, p.calls());
        double nodes = 0;
        for (int k = 0; k < p.nodeCount(); k++) {
            assertEquals(4, p.nodeCalls(k));
            nodes += p.nodeSeconds(k);
        }
        assertTrue(nodes > 0 && nodes <= p.callSeconds(), nodes + " s in nodes, " + p.callSeconds() + " s in calls");
        String s = p.summary();
        assertTrue(s.contains("gemm float32"), "the kernel that ran the product is named:\n" + s);
        assertTrue(s.contains("fused kernel") || s.contains("vector"), "the elementwise kernel is named:\n" + s);
    }
}
