package dev.theon.simd.gen;

import dev.theon.tensor.DType;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.constant.ClassDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generated elementwise kernels, by signature: the fused expression, the input dtypes and (for vector kernels) how
 * each input is read along a row (unit stride or broadcast). A second function, or a second node, with the same
 * work reuses the class already generated. Each kernel is a hidden class defined in this package, so it is
 * unloaded with nothing else to clean up once unreachable.
 * <p>
 * With {@code -Dtheon.simd.dump=DIR} every generated kernel is also written to {@code DIR/K<id>.java} as readable
 * source (the statements the bytecode was written from).
 */
public final class KernelCache {
    private static final Logger LOG = LoggerFactory.getLogger(KernelCache.class);
    private static final ConcurrentHashMap<Key, Compiled> CACHE = new ConcurrentHashMap<>();
    private static final AtomicInteger GENERATED = new AtomicInteger();

    private KernelCache() {}

    /** A kernel ready to run, with what describe() says about it. */
    public record Compiled(ElemKernel kernel, int id, boolean vector, DType f, int lanes, int stages, int scratchCount, String costs, String composed) {
        /** E.g. "kernel #3: vector float32 x16, 1 stage [9] ops; composed: sigmoid from EXP" or "kernel #4: scalar loop". */
        public String summary() {
            return vector ? "kernel #" + id + ": vector " + f + " x" + lanes + ", " + stages + " stage" + (stages == 1 ? "" : "s") + " " + costs + " ops"
                            + (composed.isEmpty() ? "" : "; composed: " + composed)
                          : "kernel #" + id + ": scalar loop";
        }
    }

    private record Key(ElemSpec spec, List<VectorPlan.Access> access) {}

    private static final class Refused extends RuntimeException {
        final VectorPlan.Unsupported why;
        Refused(VectorPlan.Unsupported why) { super(null, null, false, false); this.why = why; }
    }

    /** How many kernel classes this JVM has generated. */
    public static int generated() { return GENERATED.get(); }

    /** The vector kernel for {@code spec} read with {@code access}; throws when the expression has no vector form. */
    public static Compiled vector(ElemSpec spec, VectorPlan.Access[] access) throws VectorPlan.Unsupported {
        Key key = new Key(spec, List.of(access));
        Compiled c = CACHE.get(key);
        if (c != null) return c;
        try {
            return CACHE.computeIfAbsent(key, k -> {
                try {
                    return generateVector(spec, access);
                } catch (VectorPlan.Unsupported u) {
                    throw new Refused(u);
                }
            });
        } catch (Refused r) {
            throw r.why;
        }
    }

    /** The scalar kernel for {@code spec} (any dtypes, any strides). */
    public static Compiled scalar(ElemSpec spec) {
        return CACHE.computeIfAbsent(new Key(spec, null), k -> generateScalar(spec));
    }

    private static Compiled generateVector(ElemSpec spec, VectorPlan.Access[] access) throws VectorPlan.Unsupported {
        VectorPlan p = VectorPlan.of(spec, access);
        int lanes = p.f == DType.FLOAT32 ? FloatVector.SPECIES_PREFERRED.length() : DoubleVector.SPECIES_PREFERRED.length();
        if (p.usesBoolMemory() && VectorClassWriter.byteSpeciesName(lanes) == null)
            throw new VectorPlan.Unsupported("bool inputs or outputs need a byte species of " + lanes + " lanes");
        int id = GENERATED.incrementAndGet();
        String name = "Fused" + id;
        byte[] bytes = VectorClassWriter.write(p, ClassDesc.of(KernelCache.class.getPackageName() + "." + name));
        ElemKernel k = define(bytes);
        if (dumpDir() != null) dump(id, KernelSource.vector(p, name, header(id, spec, access), lanes));
        return new Compiled(k, id, true, p.f, lanes, p.stageCount(), p.scratchCount(), p.costs(), p.composedNote());
    }

    private static Compiled generateScalar(ElemSpec spec) {
        ScalarPlan p = ScalarPlan.of(spec);
        int id = GENERATED.incrementAndGet();
        String name = "Fused" + id;
        byte[] bytes = ScalarClassWriter.write(p, ClassDesc.of(KernelCache.class.getPackageName() + "." + name));
        ElemKernel k = define(bytes);
        if (dumpDir() != null) dump(id, KernelSource.scalar(p, name, header(id, spec, null)));
        return new Compiled(k, id, false, null, 1, 1, 0, "", "");
    }

    private static String header(int id, ElemSpec spec, VectorPlan.Access[] access) {
        return "kernel #" + id + ": " + spec.expr().expression() + "\ninputs " + Arrays.toString(spec.inputs())
                + (access == null ? ", any strides (scalar loop)" : ", read as " + Arrays.toString(access));
    }

    private static ElemKernel define(byte[] bytes) {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return (ElemKernel) l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("could not define a generated kernel: " + t, t);
        }
    }

    /** The dump directory from {@code -Dtheon.simd.dump}, or null. */
    public static Path dumpDir() {
        String d = System.getProperty("theon.simd.dump");
        return d == null || d.isBlank() ? null : Path.of(d);
    }

    private static void dump(int id, String source) {
        Path dir = dumpDir();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("K" + id + ".java"), source);
        } catch (IOException e) {
            LOG.warn("simd backend: cannot write kernel #{} to {}: {}", id, dir, e.toString());
        }
    }
}
