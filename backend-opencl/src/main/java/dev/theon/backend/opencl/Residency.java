package dev.theon.backend.opencl;

import dev.theon.graph.SharedVariable;
import dev.theon.tensor.NDArray;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * The device copies of shared variables on one device, keyed by the shared variable and by the identity of the
 * host value the copy was made from (or downloaded into).
 * <p>
 * A shared variable's host value ({@link SharedVariable#current()}) is never modified in place: {@code set} and
 * committed updates install a new array. So "the host value is still the very array this copy belongs to" means
 * "the copy is current", and a call uses it without any transfer. After {@code set} (or an update written by
 * another backend) the arrays differ, and the next call uploads the new value. An update computed on the device
 * stays there: its buffer becomes the variable's copy, keyed by the host array the function returns for it, which
 * is what the function commits. The host array is filled from the device before the call returns ("refreshed at
 * commit"), so {@link SharedVariable#get()} is always right without asking the device.
 * <p>
 * Entries go when their shared variable is garbage-collected; the device buffer goes back to the pool then.
 */
final class Residency {
    private final Map<Key, Entry> entries = new HashMap<>();
    private final ReferenceQueue<SharedVariable> collected = new ReferenceQueue<>();

    private record Entry(WeakReference<NDArray> value, DeviceTensor tensor) {}

    /** A weak key compared by the identity of its shared variable. */
    private static final class Key extends WeakReference<SharedVariable> {
        private final int hash;

        Key(SharedVariable s, ReferenceQueue<SharedVariable> q) {
            super(s, q);
            hash = System.identityHashCode(s);
        }

        @Override public int hashCode() { return hash; }

        @Override public boolean equals(Object o) {
            if (o == this) return true;
            if (!(o instanceof Key k)) return false;
            SharedVariable s = get();
            return s != null && s == k.get();
        }
    }

    /** The device copy of {@code s} made from {@code value}, with a reference for the caller; null when there is none. */
    synchronized DeviceTensor lookup(SharedVariable s, NDArray value) {
        expunge();
        Entry e = entries.get(new Key(s, null));
        if (e == null || e.value().get() != value) return null;
        e.tensor().buffer().retain();
        return e.tensor();
    }

    /** Records {@code t} (the caller keeps its own reference) as the device copy of {@code s} with host value {@code value}. */
    synchronized void put(SharedVariable s, NDArray value, DeviceTensor t) {
        expunge();
        t.buffer().retain();
        Entry old = entries.put(new Key(s, collected), new Entry(new WeakReference<>(value), t));
        if (old != null) old.tensor().buffer().release();
    }

    /** How many shared variables have a copy on this device. */
    synchronized int size() { expunge(); return entries.size(); }

    private void expunge() {
        for (Object k; (k = collected.poll()) != null; ) {
            Entry e = entries.remove(k);
            if (e != null) e.tensor().buffer().release();
        }
    }
}
