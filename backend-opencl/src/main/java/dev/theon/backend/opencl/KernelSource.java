package dev.theon.backend.opencl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The OpenCL C source of one kernel. Its name is derived from its text ({@code prefix_hash}), so equal sources get
 * equal names and one program can hold many kernels without clashes; {@code fp64} says it uses doubles.
 */
record KernelSource(String name, String source, boolean fp64) {

    /** A kernel from a template whose kernel name is written {@code $NAME}. */
    static KernelSource of(String prefix, String template, boolean fp64) {
        String name = prefix + "_" + hash(template);
        return new KernelSource(name, template.replace("$NAME", name), fp64);
    }

    String key() { return source; }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
