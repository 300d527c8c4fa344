package dev.theon.compile;

import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

/** A function input with an optional default value used when the call leaves it out ({@code Theon.in(b, value)}). */
public record In(Variable variable, NDArray value) {
    public boolean hasDefault() { return value != null; }
}
