package dev.theon.config;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.compile.Mode;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Configuration sources, lowest first: defaults, ~/.theonrc, THEON_FLAGS, the runtime API (then a function's options). */
class ConfigTest {

    @TempDir Path dir;

    Path rc(String text) throws IOException {
        Path p = dir.resolve(".theonrc");
        Files.writeString(p, text);
        return p;
    }

    /** The line of {@code toString()} that shows {@code key}. */
    static String line(Config c, String key) {
        return c.toString().lines().filter(l -> l.strip().startsWith(key + " ")).findFirst().orElseThrow();
    }

    @Test void defaults() {
        Config c = Config.load(null, dir.resolve("missing"));
        assertEquals(DType.FLOAT64, c.floatX());
        assertEquals("FAST_RUN", c.mode());
        assertEquals("auto", c.backend());
        // auto: the simd backend where its module is on the class path (it reruns this suite), else the reference one
        assertEquals(dev.theon.backend.Backends.all().containsKey("simd") ? "simd" : "reference", dev.theon.backend.Backends.resolve(c.backend()));
        assertEquals("opencl", dev.theon.backend.Backends.resolve("opencl"));
        assertFalse(c.nanGuard());
        assertFalse(c.exceptionVerbosityHigh());
        assertEquals(Config.Source.DEFAULT, c.source("floatX"));
        for (Config.Key k : Config.KEYS) assertEquals(Config.Source.DEFAULT, c.source(k.name()));
    }

    @Test void eachSourceOverridesTheOnesBelow() throws IOException {
        Path rc = rc("""
                # Theon settings
                [global]
                floatX = float32
                mode=DEBUG

                nan_guard = true
                """);
        Config fromRc = Config.load("", rc);
        assertEquals(DType.FLOAT32, fromRc.floatX());
        assertEquals("DEBUG", fromRc.mode());
        assertTrue(fromRc.nanGuard());
        assertEquals(Config.Source.THEONRC, fromRc.source("mode"));
        assertEquals(Config.Source.DEFAULT, fromRc.source("backend"));

        Config c = Config.load("floatX=float64, backend=simd", rc);
        assertEquals(DType.FLOAT64, c.floatX());
        assertEquals(Config.Source.THEON_FLAGS, c.source("floatX"));
        assertEquals("simd", c.backend());
        assertEquals("DEBUG", c.mode(), "what THEON_FLAGS does not say still comes from the rc file");
        assertEquals(Config.Source.THEONRC, c.source("mode"));

        c.set("floatX", "float32").set("mode", "fast_compile");
        assertEquals(DType.FLOAT32, c.floatX());
        assertEquals("FAST_COMPILE", c.mode(), "allowed values are matched without case and stored canonically");
        assertEquals(Config.Source.RUNTIME, c.source("floatX"));
        c.unset("floatX");
        assertEquals(DType.FLOAT64, c.floatX(), "dropping the runtime value uncovers THEON_FLAGS");
        assertEquals(Config.Source.THEON_FLAGS, c.source("floatX"));
        c.unset("mode");
        assertEquals(Config.Source.THEONRC, c.source("mode"));
    }

    @Test void toStringShowsEveryValueAndItsSource() throws IOException {
        Config c = Config.load("backend=simd", rc("mode = DEBUG\n"));
        c.set("nan_guard", "true");
        String s = c.toString();
        for (Config.Key k : Config.KEYS) assertTrue(s.contains(k.name()), k.name() + " missing from\n" + s);
        assertTrue(line(c, "backend").contains("simd") && line(c, "backend").contains("[theon_flags]"), line(c, "backend"));
        assertTrue(line(c, "mode").contains("DEBUG") && line(c, "mode").contains("[theonrc]"), line(c, "mode"));
        assertTrue(line(c, "nan_guard").contains("true") && line(c, "nan_guard").contains("[runtime]"), line(c, "nan_guard"));
        assertTrue(line(c, "floatX").contains("float64") && line(c, "floatX").contains("[default]"), line(c, "floatX"));
        assertTrue(Theon.config().toString().startsWith("Theon configuration"));
        assertSame(Config.get(), Theon.config());
    }

    @Test void badValuesAndUnknownKeysAreClearErrors() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.load("floatX=float16", null));
        assertTrue(e.getMessage().contains("THEON_FLAGS") && e.getMessage().contains("float16") && e.getMessage().contains("[float32, float64]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Config.load("flaotX=float32", null));
        assertTrue(e.getMessage().contains("unknown config key 'flaotX'") && e.getMessage().contains("floatX"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Config.load("floatX", null));
        assertTrue(e.getMessage().contains("not key=value"), e.getMessage());
        Path bad = rc("floatX = float32\nmode = QUICK\n");
        e = assertThrows(IllegalArgumentException.class, () -> Config.load(null, bad));
        assertTrue(e.getMessage().contains(".theonrc line 2") && e.getMessage().contains("QUICK") && e.getMessage().contains("FAST_RUN"), e.getMessage());
        Path noEquals = rc("floatX float32\n");
        e = assertThrows(IllegalArgumentException.class, () -> Config.load(null, noEquals));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("key = value"), e.getMessage());
        Config c = Config.load(null, null);
        e = assertThrows(IllegalArgumentException.class, () -> c.set("nan_guard", "maybe"));
        assertTrue(e.getMessage().contains("nan_guard") && e.getMessage().contains("[true, false]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.set("colour", "blue"));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.value("colour"));
        assertThrows(IllegalArgumentException.class, () -> c.set("floatX", null));
        assertEquals(Config.Source.DEFAULT, c.source("nan_guard"), "a refused value changes nothing");
    }

    @Test void functionsTakeUnsetOptionsFromTheConfigurationAndTheirOwnOptionsWin() {
        Config cfg = Config.get();
        Variable x = T.vector("x");
        try {
            cfg.set("floatX", "float32").set("mode", "DEBUG");
            Function f = Theon.function(List.of(x), T.mul(x, 2.0));
            assertEquals(DType.FLOAT32, f.floatX());
            assertEquals(Mode.DEBUG, f.mode());
            Function g = Theon.function(List.of(x), T.mul(x, 2.0), Theon.options().floatX(DType.FLOAT64).mode("FAST_RUN"));
            assertEquals(DType.FLOAT64, g.floatX());
            assertEquals(Mode.FAST_RUN, g.mode());
            assertEquals(DType.FLOAT64, g.call(new double[]{1}).dtype());
        } finally {
            cfg.unset("floatX").unset("mode");
        }
        assertEquals(Config.Source.RUNTIME == cfg.source("floatX") ? null : cfg.floatX(), Theon.function(List.of(x), T.mul(x, 2.0)).floatX(),
                "after unset the value from below applies again");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Theon.options().mode("FASTEST"));
        assertTrue(e.getMessage().contains("FASTEST") && e.getMessage().contains("DEBUG"), e.getMessage());
    }
}
