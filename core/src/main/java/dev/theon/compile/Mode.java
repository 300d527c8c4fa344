package dev.theon.compile;

import java.util.Locale;

/**
 * How much work compiling does. FAST_RUN: every rewrite. FAST_COMPILE: merge, constant folding and stability only.
 * DEBUG: as FAST_RUN, then every intermediate is checked for NaN/Inf (and, on other backends, against the reference backend).
 */
public enum Mode {
    FAST_RUN, FAST_COMPILE, DEBUG;

    public static Mode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "'; expected FAST_RUN, FAST_COMPILE or DEBUG");
        }
    }
}
