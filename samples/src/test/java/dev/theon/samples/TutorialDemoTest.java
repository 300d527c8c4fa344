package dev.theon.samples;

import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The demo runs, and its values are the ones the Theano tutorial documents. */
class TutorialDemoTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final TutorialDemo demo = new TutorialDemo(new PrintStream(buf));

    @Test void runsEndToEnd() {
        demo.run();
        assertTrue(buf.toString().contains("== Debug mode =="));
    }

    @Test void tutorialValues() {
        assertEquals(5.0, demo.addingScalars().toDouble());
        double[][] l = demo.logistic().toDoubleMatrix();
        assertEquals(0.5, l[0][0], 1e-12);
        assertEquals(0.11920292, l[1][1], 1e-8);
        List<NDArray> mix = demo.severalOutputsAndDefaults();
        assertArrayEquals(new double[]{18, 37}, mix.get(0).toDoubleArray());
        assertEquals(91.0, mix.get(1).toDouble());
        assertArrayEquals(new double[]{14, 32}, mix.get(2).toDoubleArray());
        assertEquals(91.0, mix.get(3).toDouble());
        assertEquals(299, demo.sharedState());
        assertEquals("(x ** 2)", demo.printing());
        assertTrue(demo.debugMode().contains("true_div"));
    }
}
