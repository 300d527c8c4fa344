package dev.theon.backend;

import dev.theon.tensor.NDArray;

import java.util.Arrays;

/** The run-time half of an inplace mark, shared by the executables that honour marks. */
public final class Overwrite {
    private Overwrite() {}

    /**
     * Whether input {@code k} of a node may be overwritten now: the destroy handler proved that nothing else reads it;
     * this checks what only the values can tell, that no other operand of the node shares its storage in another
     * layout and that it is no argument of the call.
     */
    public static boolean allowed(NDArray[] in, int k, NDArray[] arguments) {
        NDArray t = in[k];
        for (int i = 0; i < in.length; i++) {
            if (i == k || !in[i].sharesStorageWith(t)) continue;
            if (in[i] != t && !(in[i].offset() == t.offset() && Arrays.equals(in[i].strides(), t.strides())
                    && Arrays.equals(in[i].shape(), t.shape()))) return false;
        }
        for (NDArray a : arguments) if (a.sharesStorageWith(t)) return false;
        return true;
    }
}
