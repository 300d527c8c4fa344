package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.tensor.NDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node this backend has no kernel for: it runs the op's reference {@code perform}. The fallback is never silent:
 * {@code describe()} lists it with the reason, and the first time an op (by name) falls back it is logged.
 */
final class FallbackKernel implements Kernel {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackKernel.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final Apply node;
    private final String reason;

    FallbackKernel(Apply node, String reason) {
        this.node = node;
        this.reason = reason;
        String key = node.op().getClass().getSimpleName() + ": " + reason;
        if (LOGGED.add(key)) LOG.info("simd backend: {} runs the reference perform ({})", node.op().name(), reason);
    }

    @Override public void run(NDArray[] in, NDArray[] out) { node.op().perform(node, in, out); }

    @Override public String describe() { return "FALLBACK reference perform: " + reason; }

    @Override public boolean isFallback() { return true; }
}
