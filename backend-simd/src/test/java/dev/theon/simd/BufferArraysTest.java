package dev.theon.simd;

import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** A buffer's arrays: one per dtype and shape, bounded, and never one the caller was handed. */
class BufferArraysTest {

    @Test void findsTheArrayOfTheShapeAndKeepsOnePerShape() {
        BufferArrays b = new BufferArrays(3);
        NDArray small = NDArray.zeros(DType.FLOAT32, 4, 8), big = NDArray.zeros(DType.FLOAT32, 16, 8);
        assertNull(b.find(DType.FLOAT32, new long[]{4, 8}), "empty at first");
        b.keep(small);
        b.keep(big);
        assertSame(small, b.find(DType.FLOAT32, new long[]{4, 8}));
        assertSame(big, b.find(DType.FLOAT32, new long[]{16, 8}));
        assertNull(b.find(DType.FLOAT64, new long[]{4, 8}), "another dtype is another array");
        assertNull(b.find(DType.FLOAT32, new long[]{8, 4}), "another shape of the same size is another array");
        NDArray small2 = NDArray.zeros(DType.FLOAT32, 4, 8);
        b.keep(small2);
        assertSame(small2, b.find(DType.FLOAT32, new long[]{4, 8}), "a new array of a shape replaces the old one");
        b.keep(small2);
        assertSame(big, b.find(DType.FLOAT32, new long[]{16, 8}), "keeping an array twice takes one place");
    }

    @Test void holdsAtMostItsCapacityDroppingTheOldest() {
        BufferArrays b = new BufferArrays(2);
        NDArray[] a = new NDArray[4];
        for (int i = 0; i < 4; i++) { a[i] = NDArray.zeros(DType.INT32, i + 1); b.keep(a[i]); }
        int held = 0;
        for (int i = 0; i < 4; i++) if (b.find(DType.INT32, new long[]{i + 1}) != null) held++;
        assertEquals(2, held, "shapes that change every call do not pile up arrays");
        assertSame(a[3], b.find(DType.INT32, new long[]{4}), "the newest is kept");
    }

    @Test void forgetsWhatTheCallerNowOwns() {
        BufferArrays b = new BufferArrays(2);
        NDArray x = NDArray.zeros(DType.FLOAT64, 3, 3), y = NDArray.zeros(DType.FLOAT64, 2);
        b.keep(x);
        b.keep(y);
        b.forget(new NDArray[]{x.transpose(1, 0)});  // a view of x was returned
        assertNull(b.find(DType.FLOAT64, new long[]{3, 3}));
        assertSame(y, b.find(DType.FLOAT64, new long[]{2}));
    }
}
