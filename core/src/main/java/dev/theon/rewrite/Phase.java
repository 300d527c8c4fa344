package dev.theon.rewrite;

/**
 * The order rewrites run in. Each phase's local rewrites run to a fixed point (a pass over the graph repeated until
 * nothing fires) together with its global passes; fusion and inplace are single global passes.
 */
public enum Phase {
    /** One spelling per expression: merge, constant folding, shapes, neutral elements, chains of views. */
    CANONICALIZE("canonicalize", true),
    /** Numerically stable forms: log1p, expm1, softplus, log_softmax, logsumexp, and their gradients. */
    STABILIZE("stabilize", true),
    /** Cheaper ops for the same value: sqr, sqrt, inv, dot, gemm. */
    SPECIALIZE("specialize", true),
    /** Elementwise regions become one Composite node each. */
    FUSE("fusion", false),
    /** Nodes proven to be the last reader of an intermediate compute into its storage. */
    INPLACE("inplace", false);

    private final String tag;
    private final boolean toFixedPoint;

    Phase(String tag, boolean toFixedPoint) { this.tag = tag; this.toFixedPoint = toFixedPoint; }

    /** The tag every rewrite of this phase carries, so {@code excluding("fusion")} turns the whole phase off. */
    public String tag() { return tag; }

    public boolean toFixedPoint() { return toFixedPoint; }
}
