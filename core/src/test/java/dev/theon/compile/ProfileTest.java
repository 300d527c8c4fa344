package dev.theon.compile;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.backend.Profile;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProfileTest {
    private static Function profiled(Options o) {
        Variable x = T.dmatrix("x"), y = T.dmatrix("y");
        return Theon.function(List.of(x, y), T.sum(T.dot(T.tanh(x), y)), o.profile(true));
    }

    @Test void countsEveryCallAndNodeWithinTheCallTime() {
        Function f = profiled(Theon.options().mode("FAST_COMPILE"));
        NDArray a = NDArray.full(DType.FLOAT64, 0.5, 60, 60);
        long before = System.nanoTime();
        for (int i = 0; i < 7; i++) f.call(a, a);
        double wall = (System.nanoTime() - before) / 1e9;
        Profile p = f.profile();
        assertEquals(7, p.calls());
        assertTrue(p.nodeCount() >= 3, "tanh, dot and sum are separate nodes in FAST_COMPILE: " + p.nodeCount());
        double nodes = 0;
        for (int k = 0; k < p.nodeCount(); k++) {
            assertEquals(7, p.nodeCalls(k), "node " + k);
            assertTrue(p.nodeSeconds(k) > 0, "node " + k + " took no time");
            nodes += p.nodeSeconds(k);
        }
        assertTrue(nodes <= p.callSeconds(), "nodes " + nodes + " s within calls " + p.callSeconds() + " s");
        assertTrue(p.callSeconds() <= wall, "calls " + p.callSeconds() + " s within the measured " + wall + " s");
        String s = p.summary();
        assertTrue(s.startsWith("profile: 7 call(s)"), s);
        for (String part : List.of("op classes:", "nodes:", "Dot", "tanh", "sum")) assertTrue(s.contains(part), part + " in\n" + s);
        p.reset();
        assertEquals(0, p.calls());
        assertEquals(0, p.nodeCalls(0));
    }

    @Test void theSlowNodeComesFirst() {
        Variable x = T.dmatrix("x"), v = T.dvector("v");
        // a 400x400 product dwarfs adding two 3-vectors
        Function f = Theon.function(List.of(x, v), List.of(T.dot(x, x), T.add(v, v)), Theon.options().profile(true).backend("reference"));
        NDArray m = NDArray.full(DType.FLOAT64, 1, 400, 400), w = NDArray.of(1.0, 2.0, 3.0);
        for (int i = 0; i < 3; i++) f.callAll(m, w);
        String nodes = f.profile().summary().split("nodes:\n")[1];
        String first = nodes.lines().skip(1).findFirst().orElseThrow();
        assertTrue(first.contains("dot"), "the product is the most expensive node:\n" + nodes);
    }

    @Test void anUnprofiledFunctionSaysHowToProfile() {
        Variable x = T.dscalar("x");
        Function f = Theon.function(List.of(x), T.exp(x), Theon.options().profile(false));
        var e = assertThrows(TheonException.InputError.class, f::profile);
        assertTrue(e.getMessage().contains("profile(true)"), e.getMessage());
    }

    @Test void theConfigurationTurnsItOn() {
        Theon.config().set("profile", "true");
        try {
            Variable x = T.dscalar("x");
            Function f = Theon.function(List.of(x), T.exp(x));
            f.call(1.0);
            assertEquals(1, f.profile().calls());
        } finally {
            Theon.config().unset("profile");
        }
    }
}
