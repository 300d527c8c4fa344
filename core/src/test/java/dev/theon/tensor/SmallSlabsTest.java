package dev.theon.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SmallSlabsTest {
    @Test void smallArraysAreZeroAlignedAndNeverShareStorage() {
        List<NDArray> kept = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int n = 1 + i % 100;  // 8 to 800 bytes of float64: all from slabs
            NDArray a = NDArray.zeros(DType.FLOAT64, n);
            assertEquals(0, a.segment().address() % NDArray.ALIGNMENT, "aligned");
            for (int k = 0; k < n; k++) assertEquals(0.0, a.flatDouble(k), "zero at " + k);
            for (int k = 0; k < n; k++) a.writeDouble(k, i + k * 1e-3);
            if (i % 7 == 0) kept.add(a);
        }
        // distinct storage: writing all of them did not disturb the kept ones, even after their neighbours were collected
        System.gc();
        for (int j = 0; j < kept.size(); j++) {
            NDArray a = kept.get(j);
            int i = 7 * j;
            for (int k = 0; k < a.size(); k++) assertEquals(i + k * 1e-3, a.flatDouble(k), "array " + i + " element " + k);
            for (int m = j + 1; m < Math.min(kept.size(), j + 5); m++) assertFalse(a.sharesStorageWith(kept.get(m)));
        }
    }

    @Test void aScalarComesFromASlabAndALargerArrayFromTheArena() {
        assertEquals(4, NDArray.scalar(DType.FLOAT32, 1).segment().byteSize(), "a float32 scalar's slice holds its 4 bytes");
        NDArray big = NDArray.zeros(DType.FLOAT64, 1000);  // 8000 bytes: past the slab bound
        assertEquals(8000, big.segment().byteSize());
        NDArray small = NDArray.zeros(DType.FLOAT64, 3);
        assertEquals(24, small.segment().byteSize(), "a slice is exactly the array's bytes, so out-of-bounds access still fails");
        assertThrows(IndexOutOfBoundsException.class, () -> small.segment().get(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 24));
    }
}
