package dev.theon.backend;

import dev.theon.compile.Mode;
import dev.theon.tensor.DType;

import java.util.Set;

/** What a backend needs to know about how a function was asked to be compiled. */
public record CompileOptions(String backend, DType floatX, Mode mode, boolean nanGuard, String device,
                             Set<String> including, Set<String> excluding) {
    /** NaN/Inf checking of every intermediate: on in DEBUG mode or with nan_guard. */
    public boolean checkNaN() { return nanGuard || mode == Mode.DEBUG; }
}
