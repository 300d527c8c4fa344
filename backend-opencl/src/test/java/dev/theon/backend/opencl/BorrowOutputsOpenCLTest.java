package dev.theon.backend.opencl;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.graph.Variable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The opencl backend downloads outputs into new host arrays every call, so it refuses borrowed outputs when compiling. */
class BorrowOutputsOpenCLTest {
    @Test void borrowedOutputsAreRejectedAtCompileTimeWithTheReason() {
        Variable x = T.fvector("x");
        TheonException.CompileError e = assertThrows(TheonException.CompileError.class,
                () -> Theon.function(List.of(x), T.exp(x), Theon.options().backend("opencl").borrowOutputs(true)));
        assertTrue(e.getMessage().contains("opencl") && e.getMessage().contains("borrowOutputs") && e.getMessage().contains("simd"), e.getMessage());
    }
}
