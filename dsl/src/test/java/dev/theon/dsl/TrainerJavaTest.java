package dev.theon.dsl;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The training loop from Java: a core function, a fluent trainer, a blocking run with a callback. */
class TrainerJavaTest {

    @Test void javaTrainsWithACallbackAndStops() {
        // counts down a shared value by the input each step; the loss is the value before the step
        SharedVariable s = Theon.shared(NDArray.of(10.0), "s");
        Variable by = T.dscalar("by");
        Function step = Theon.function(List.of(by), s, Theon.options().updates(Map.of(s, T.sub(s, by))));
        List<Double> losses = new ArrayList<>();
        Progress last = Trainer.of(step).steps(100).batchSize(2)
                .inputs(i -> List.of(0.5 * i))
                .metric("twice", outs -> 2 * outs.get(0).toDouble())
                .run(p -> { losses.add(p.getLoss()); return p.getStep() < 3; });
        assertEquals(List.of(10.0, 9.5, 8.5), losses);       // 10, 10 - 0.5, 10 - 0.5 - 1.0
        assertEquals(3, last.getStep());
        assertEquals(17.0, last.getMetrics().get("twice"));
        assertEquals(10.0 - 0.5 - 1.0 - 1.5, s.get().toDouble());
    }
}
