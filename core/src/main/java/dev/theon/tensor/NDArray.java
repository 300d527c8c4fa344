package dev.theon.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * An n-dimensional array: dtype + shape + strides + offset over a storage segment.
 * <p>
 * Storage is a zeroed, 64-byte-aligned {@link MemorySegment} that the garbage collector frees once no array views it,
 * and that the Vector API and OpenCL read without copies ({@link NativeMemory}): small arrays come from an automatic
 * arena; arrays of {@link NativeMemory#LARGE} bytes or more are anonymous mappings (on Linux), 2 MiB-aligned and on
 * huge pages where the kernel has them, reused by later arrays of the same length once collected, and bounded by the
 * {@code native_memory_limit} configuration key. Strides and offset are counted in elements, not bytes.
 * Views ({@link #transpose}, {@link #slice}, {@link #broadcastTo}, {@link #reshape} of contiguous data) share storage.
 */
public final class NDArray {
    public static final long ALIGNMENT = 64;

    private final DType dtype;
    private final long[] shape;
    private final long[] strides;
    private final long offset;
    private final MemorySegment data;

    private NDArray(DType dtype, long[] shape, long[] strides, long offset, MemorySegment data) {
        if (dtype == DType.FLOATX) throw new IllegalArgumentException("an NDArray needs a concrete dtype, not floatX");
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.data = data;
    }

    // ---------------------------------------------------------------- creation

    /** A new zero-filled C-contiguous array (large ones come zeroed from the kernel, with no fill; see {@link NativeMemory}). */
    public static NDArray zeros(DType dtype, long... shape) {
        long n = Shapes.size(shape);
        MemorySegment seg = NativeMemory.allocate(Math.max(1, n) * dtype.byteSize());
        return new NDArray(dtype, shape.clone(), Shapes.cStrides(shape), 0, seg);
    }

    public static NDArray full(DType dtype, double value, long... shape) {
        NDArray a = zeros(dtype, shape);
        if (value != 0) { long n = a.size(); for (long i = 0; i < n; i++) a.writeDouble(i, value); }
        return a;
    }

    /** A 0-d array. */
    public static NDArray scalar(DType dtype, double value) {
        NDArray a = zeros(dtype);
        a.writeDouble(0, value);
        return a;
    }

    public static NDArray scalarLong(DType dtype, long value) {
        NDArray a = zeros(dtype);
        a.writeLong(0, value);
        return a;
    }

    /** C-ordered values into a new array of the given dtype and shape. */
    public static NDArray fromDoubles(DType dtype, double[] values, long... shape) {
        if (Shapes.size(shape) != values.length)
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Shapes.str(shape));
        NDArray a = zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) a.writeDouble(i, values[i]);
        return a;
    }

    public static NDArray fromLongs(DType dtype, long[] values, long... shape) {
        if (Shapes.size(shape) != values.length)
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Shapes.str(shape));
        NDArray a = zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) a.writeLong(i, values[i]);
        return a;
    }

    public static NDArray of(double value) { return scalar(DType.FLOAT64, value); }
    public static NDArray of(float value) { return scalar(DType.FLOAT32, value); }
    public static NDArray of(int value) { return scalarLong(DType.INT32, value); }
    public static NDArray of(long value) { return scalarLong(DType.INT64, value); }
    public static NDArray of(boolean value) { return scalarLong(DType.BOOL, value ? 1 : 0); }
    // one overload per Java element type and rank 1..4; fromJava takes any rank
    public static NDArray of(double... v) { return fromJava(v); }
    public static NDArray of(float... v) { return fromJava(v); }
    public static NDArray of(int... v) { return fromJava(v); }
    public static NDArray of(long... v) { return fromJava(v); }
    public static NDArray of(boolean... v) { return fromJava(v); }
    public static NDArray of(byte... v) { return fromJava(v); }
    public static NDArray of(short... v) { return fromJava(v); }
    public static NDArray of(double[][] v) { return fromJava(v); }
    public static NDArray of(float[][] v) { return fromJava(v); }
    public static NDArray of(int[][] v) { return fromJava(v); }
    public static NDArray of(long[][] v) { return fromJava(v); }
    public static NDArray of(boolean[][] v) { return fromJava(v); }
    public static NDArray of(byte[][] v) { return fromJava(v); }
    public static NDArray of(short[][] v) { return fromJava(v); }
    public static NDArray of(double[][][] v) { return fromJava(v); }
    public static NDArray of(float[][][] v) { return fromJava(v); }
    public static NDArray of(int[][][] v) { return fromJava(v); }
    public static NDArray of(long[][][] v) { return fromJava(v); }
    public static NDArray of(boolean[][][] v) { return fromJava(v); }
    public static NDArray of(byte[][][] v) { return fromJava(v); }
    public static NDArray of(short[][][] v) { return fromJava(v); }
    public static NDArray of(double[][][][] v) { return fromJava(v); }
    public static NDArray of(float[][][][] v) { return fromJava(v); }
    public static NDArray of(int[][][][] v) { return fromJava(v); }
    public static NDArray of(long[][][][] v) { return fromJava(v); }
    public static NDArray of(boolean[][][][] v) { return fromJava(v); }
    public static NDArray of(byte[][][][] v) { return fromJava(v); }
    public static NDArray of(short[][][][] v) { return fromJava(v); }

    /**
     * Converts a Java value into an array: a boxed number or boolean (0-d), or a (nested, rectangular) primitive
     * array of any rank; the dtype follows the Java element type (double -> float64, float -> float32, int -> int32,
     * long -> int64, short -> int16, byte -> int8, boolean -> bool).
     */
    public static NDArray fromJava(Object value) {
        if (value instanceof NDArray a) return a;
        if (value instanceof Double d) return of(d.doubleValue());
        if (value instanceof Float f) return of(f.floatValue());
        if (value instanceof Integer i) return of(i.intValue());
        if (value instanceof Long l) return of(l.longValue());
        if (value instanceof Short s) return scalarLong(DType.INT16, s);
        if (value instanceof Byte b) return scalarLong(DType.INT8, b);
        if (value instanceof Boolean b) return of(b.booleanValue());
        if (value == null || !value.getClass().isArray())
            throw new IllegalArgumentException("cannot convert " + (value == null ? "null" : value.getClass().getSimpleName())
                    + " to an NDArray; expected a number, a boolean, a primitive array of any rank, or an NDArray");
        Class<?> leaf = value.getClass();
        int rank = 0;
        while (leaf.isArray()) { leaf = leaf.getComponentType(); rank++; }
        DType dt = dtypeOfJava(leaf);
        long[] shape = new long[rank];
        Object cur = value;
        for (int d = 0; d < rank; d++) {
            shape[d] = Array.getLength(cur);
            if (shape[d] == 0) break;
            if (d < rank - 1) cur = Array.get(cur, 0);
        }
        NDArray out = zeros(dt, shape);
        long[] pos = {0};
        fill(out, value, 0, shape, pos);
        return out;
    }

    /** {@link #fromJava} then cast to {@code dtype}. */
    public static NDArray fromJava(Object value, DType dtype) {
        NDArray a = fromJava(value);
        return a.dtype == dtype ? a : a.astype(dtype);
    }

    private static void fill(NDArray out, Object v, int dim, long[] shape, long[] pos) {
        if (v == null) throw new IllegalArgumentException("ragged Java array: a sub-array at dimension " + dim + " is null");
        int n = Array.getLength(v);
        if (n != shape[dim])
            throw new IllegalArgumentException("ragged Java array: dimension " + dim + " has lengths " + shape[dim] + " and " + n);
        if (dim == shape.length - 1) {
            switch (v) {
                case double[] a -> { for (double x : a) out.writeDouble(pos[0]++, x); }
                case float[] a -> { for (float x : a) out.writeDouble(pos[0]++, x); }
                case int[] a -> { for (int x : a) out.writeLong(pos[0]++, x); }
                case long[] a -> { for (long x : a) out.writeLong(pos[0]++, x); }
                case short[] a -> { for (short x : a) out.writeLong(pos[0]++, x); }
                case byte[] a -> { for (byte x : a) out.writeLong(pos[0]++, x); }
                case boolean[] a -> { for (boolean x : a) out.writeLong(pos[0]++, x ? 1 : 0); }
                default -> throw new IllegalArgumentException("unsupported Java array " + v.getClass().getSimpleName());
            }
            return;
        }
        for (int i = 0; i < n; i++) fill(out, Array.get(v, i), dim + 1, shape, pos);
    }

    private static DType dtypeOfJava(Class<?> c) {
        if (c == double.class) return DType.FLOAT64;
        if (c == float.class) return DType.FLOAT32;
        if (c == int.class) return DType.INT32;
        if (c == long.class) return DType.INT64;
        if (c == short.class) return DType.INT16;
        if (c == byte.class) return DType.INT8;
        if (c == boolean.class) return DType.BOOL;
        throw new IllegalArgumentException("unsupported Java element type " + c.getSimpleName()
                + "; expected double, float, long, int, short, byte or boolean");
    }

    // ---------------------------------------------------------------- properties

    public DType dtype() { return dtype; }
    public long[] shape() { return shape.clone(); }
    public long shape(int axis) { return shape[axis < 0 ? axis + shape.length : axis]; }
    public long[] strides() { return strides.clone(); }
    public long offset() { return offset; }
    public int ndim() { return shape.length; }
    public long size() { return Shapes.size(shape); }
    /** The storage this array views; element i of the storage lies at byte {@code i * dtype().byteSize()}. */
    public MemorySegment segment() { return data; }

    public boolean isContiguous() {
        long expect = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expect) return false;
            expect *= shape[d];
        }
        return true;
    }

    // ---------------------------------------------------------------- raw element access (storage index)

    /** Reads storage element {@code i} (an index into the segment, after offset and strides were applied). */
    public double readDouble(long i) {
        return switch (dtype) {
            case FLOAT64 -> data.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case FLOAT32 -> data.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case INT64 -> data.getAtIndex(ValueLayout.JAVA_LONG, i);
            case INT32 -> data.getAtIndex(ValueLayout.JAVA_INT, i);
            case INT16 -> data.getAtIndex(ValueLayout.JAVA_SHORT, i);
            case INT8, BOOL -> data.getAtIndex(ValueLayout.JAVA_BYTE, i);
            case FLOATX -> throw new IllegalStateException();
        };
    }

    public long readLong(long i) {
        return switch (dtype) {
            case FLOAT64 -> (long) data.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case FLOAT32 -> (long) data.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case INT64 -> data.getAtIndex(ValueLayout.JAVA_LONG, i);
            case INT32 -> data.getAtIndex(ValueLayout.JAVA_INT, i);
            case INT16 -> data.getAtIndex(ValueLayout.JAVA_SHORT, i);
            case INT8, BOOL -> data.getAtIndex(ValueLayout.JAVA_BYTE, i);
            case FLOATX -> throw new IllegalStateException();
        };
    }

    /** Writes storage element {@code i}, converting like a C cast (bool: nonzero is true; NaN to int is 0). */
    public void writeDouble(long i, double v) {
        switch (dtype) {
            case FLOAT64 -> data.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            case FLOAT32 -> data.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case INT64 -> data.setAtIndex(ValueLayout.JAVA_LONG, i, (long) v);
            case INT32 -> data.setAtIndex(ValueLayout.JAVA_INT, i, (int) (long) v);
            case INT16 -> data.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) (long) v);
            case INT8 -> data.setAtIndex(ValueLayout.JAVA_BYTE, i, (byte) (long) v);
            case BOOL -> data.setAtIndex(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            case FLOATX -> throw new IllegalStateException();
        }
    }

    public void writeLong(long i, long v) {
        switch (dtype) {
            case FLOAT64 -> data.setAtIndex(ValueLayout.JAVA_DOUBLE, i, (double) v);
            case FLOAT32 -> data.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v);
            case INT64 -> data.setAtIndex(ValueLayout.JAVA_LONG, i, v);
            case INT32 -> data.setAtIndex(ValueLayout.JAVA_INT, i, (int) v);
            case INT16 -> data.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) v);
            case INT8 -> data.setAtIndex(ValueLayout.JAVA_BYTE, i, (byte) v);
            case BOOL -> data.setAtIndex(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
            case FLOATX -> throw new IllegalStateException();
        }
    }

    /** Storage index of the element at the given multi-index. */
    public long storageIndex(long... idx) {
        if (idx.length != shape.length)
            throw new IndexOutOfBoundsException(idx.length + " indices for an array of rank " + shape.length);
        long p = offset;
        for (int d = 0; d < idx.length; d++) {
            long i = idx[d] < 0 ? idx[d] + shape[d] : idx[d];
            if (i < 0 || i >= shape[d])
                throw new IndexOutOfBoundsException("index " + idx[d] + " is out of bounds for axis " + d + " with size " + shape[d]);
            p += i * strides[d];
        }
        return p;
    }

    /** Storage index of the element at C-order position {@code flat}. */
    public long storageIndexOfFlat(long flat) {
        long p = offset;
        for (int d = shape.length - 1; d >= 0; d--) {
            long n = shape[d];
            if (n == 0) return p;
            p += (flat % n) * strides[d];
            flat /= n;
        }
        return p;
    }

    public double getDouble(long... idx) { return readDouble(storageIndex(idx)); }
    public long getLong(long... idx) { return readLong(storageIndex(idx)); }
    public void setDouble(double v, long... idx) { writeDouble(storageIndex(idx), v); }
    public void setLong(long v, long... idx) { writeLong(storageIndex(idx), v); }

    /** Element at C-order position {@code flat}. */
    public double flatDouble(long flat) { return readDouble(storageIndexOfFlat(flat)); }
    public long flatLong(long flat) { return readLong(storageIndexOfFlat(flat)); }
    public void setFlatDouble(long flat, double v) { writeDouble(storageIndexOfFlat(flat), v); }
    public void setFlatLong(long flat, long v) { writeLong(storageIndexOfFlat(flat), v); }

    // ---------------------------------------------------------------- conversions out

    /** The value of a one-element array. */
    public double toDouble() {
        if (size() != 1) throw new IllegalStateException("toDouble() needs an array of one element, this one has shape " + Shapes.str(shape));
        return readDouble(storageIndexOfFlat(0));
    }

    public long toLong() {
        if (size() != 1) throw new IllegalStateException("toLong() needs an array of one element, this one has shape " + Shapes.str(shape));
        return readLong(storageIndexOfFlat(0));
    }

    public boolean toBoolean() { return toLong() != 0; }

    /** All elements in C order, as doubles. */
    public double[] toDoubleArray() {
        double[] r = new double[Math.toIntExact(size())];
        if (isContiguous()) for (int i = 0; i < r.length; i++) r[i] = readDouble(offset + i);
        else for (int i = 0; i < r.length; i++) r[i] = flatDouble(i);
        return r;
    }

    public float[] toFloatArray() {
        double[] d = toDoubleArray();
        float[] r = new float[d.length];
        for (int i = 0; i < d.length; i++) r[i] = (float) d[i];
        return r;
    }

    public long[] toLongArray() {
        long[] r = new long[Math.toIntExact(size())];
        for (int i = 0; i < r.length; i++) r[i] = flatLong(i);
        return r;
    }

    public int[] toIntArray() {
        long[] l = toLongArray();
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) r[i] = Math.toIntExact(l[i]);
        return r;
    }

    public short[] toShortArray() {
        long[] l = toLongArray();
        short[] r = new short[l.length];
        for (int i = 0; i < l.length; i++) r[i] = (short) l[i];
        return r;
    }

    public byte[] toByteArray() {
        long[] l = toLongArray();
        byte[] r = new byte[l.length];
        for (int i = 0; i < l.length; i++) r[i] = (byte) l[i];
        return r;
    }

    public boolean[] toBooleanArray() {
        long[] l = toLongArray();
        boolean[] r = new boolean[l.length];
        for (int i = 0; i < l.length; i++) r[i] = l[i] != 0;
        return r;
    }

    public double[][] toDoubleMatrix() {
        requireRank(2, "toDoubleMatrix");
        double[][] r = new double[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < r.length; i++) for (int j = 0; j < r[i].length; j++) r[i][j] = getDouble(i, j);
        return r;
    }

    public float[][] toFloatMatrix() {
        requireRank(2, "toFloatMatrix");
        float[][] r = new float[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < r.length; i++) for (int j = 0; j < r[i].length; j++) r[i][j] = (float) getDouble(i, j);
        return r;
    }

    public int[][] toIntMatrix() {
        requireRank(2, "toIntMatrix");
        int[][] r = new int[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < r.length; i++) for (int j = 0; j < r[i].length; j++) r[i][j] = Math.toIntExact(getLong(i, j));
        return r;
    }

    public long[][] toLongMatrix() {
        requireRank(2, "toLongMatrix");
        long[][] r = new long[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < r.length; i++) for (int j = 0; j < r[i].length; j++) r[i][j] = getLong(i, j);
        return r;
    }

    public boolean[][] toBooleanMatrix() {
        requireRank(2, "toBooleanMatrix");
        boolean[][] r = new boolean[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < r.length; i++) for (int j = 0; j < r[i].length; j++) r[i][j] = getLong(i, j) != 0;
        return r;
    }

    /** A nested Java array of this rank whose element type follows the dtype (double[][] for float64, ...); a boxed value for rank 0. */
    public Object toJava() {
        if (shape.length == 0) {
            return switch (dtype) {
                case FLOAT64 -> toDouble(); case FLOAT32 -> (float) toDouble();
                case INT64 -> toLong(); case INT32 -> (int) toLong(); case INT16 -> (short) toLong();
                case INT8 -> (byte) toLong(); case BOOL -> toBoolean(); case FLOATX -> throw new IllegalStateException();
            };
        }
        Class<?> leaf = switch (dtype) {
            case FLOAT64 -> double.class; case FLOAT32 -> float.class; case INT64 -> long.class; case INT32 -> int.class;
            case INT16 -> short.class; case INT8 -> byte.class; case BOOL -> boolean.class; case FLOATX -> throw new IllegalStateException();
        };
        int[] dims = new int[shape.length];
        for (int d = 0; d < dims.length; d++) dims[d] = Math.toIntExact(shape[d]);
        Object out = Array.newInstance(leaf, dims);
        long[] pos = {0};
        unfill(out, 0, pos);
        return out;
    }

    private void unfill(Object arr, int dim, long[] pos) {
        int n = Array.getLength(arr);
        if (dim == shape.length - 1) {
            for (int i = 0; i < n; i++) {
                long flat = pos[0]++;
                switch (arr) {
                    case double[] a -> a[i] = flatDouble(flat);
                    case float[] a -> a[i] = (float) flatDouble(flat);
                    case long[] a -> a[i] = flatLong(flat);
                    case int[] a -> a[i] = (int) flatLong(flat);
                    case short[] a -> a[i] = (short) flatLong(flat);
                    case byte[] a -> a[i] = (byte) flatLong(flat);
                    case boolean[] a -> a[i] = flatLong(flat) != 0;
                    default -> throw new IllegalStateException();
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) unfill(Array.get(arr, i), dim + 1, pos);
    }

    private void requireRank(int r, String what) {
        if (shape.length != r)
            throw new IllegalStateException(what + "() needs an array of rank " + r + ", this one has shape " + Shapes.str(shape));
    }

    // ---------------------------------------------------------------- copies and views

    /** A C-contiguous copy with its own storage. */
    public NDArray copy() { return astype(dtype); }

    /** A C-contiguous copy converted to {@code to} (C-cast semantics: floats truncate toward zero into integers). */
    public NDArray astype(DType to) {
        NDArray out = zeros(to, shape);
        copyInto(out);
        return out;
    }

    /** This array, or a contiguous copy of it if it is not contiguous. */
    public NDArray contiguous() { return isContiguous() ? this : copy(); }

    /** Copies this array's values into {@code dst}, which must have the same shape (dtypes may differ). */
    public void copyInto(NDArray dst) {
        if (!Arrays.equals(shape, dst.shape))
            throw new IllegalArgumentException("cannot copy shape " + Shapes.str(shape) + " into shape " + Shapes.str(dst.shape));
        long n = size();
        if (n == 0) return;  // an empty view's offset may lie past the end of its storage
        boolean integral = dtype.isDiscrete() && dst.dtype.isDiscrete();  // copy through long: int64 stays exact
        if (isContiguous() && dst.isContiguous()) {
            if (dtype == dst.dtype) {
                MemorySegment.copy(data, offset * dtype.byteSize(), dst.data, dst.offset * dtype.byteSize(), n * dtype.byteSize());
            } else if (integral) {
                for (long i = 0; i < n; i++) dst.writeLong(dst.offset + i, readLong(offset + i));
            } else {
                for (long i = 0; i < n; i++) dst.writeDouble(dst.offset + i, readDouble(offset + i));
            }
            return;
        }
        if (integral) {
            for (long i = 0; i < n; i++) dst.writeLong(dst.storageIndexOfFlat(i), readLong(storageIndexOfFlat(i)));
        } else {
            for (long i = 0; i < n; i++) dst.writeDouble(dst.storageIndexOfFlat(i), readDouble(storageIndexOfFlat(i)));
        }
    }

    /** A view with the axes permuted; no permutation reverses them. */
    public NDArray transpose(int... perm) {
        int n = shape.length;
        if (perm.length == 0) { perm = new int[n]; for (int i = 0; i < n; i++) perm[i] = n - 1 - i; }
        if (perm.length != n) throw new IllegalArgumentException("transpose of rank " + n + " needs " + n + " axes, got " + Arrays.toString(perm));
        long[] s = new long[n], st = new long[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int a = perm[i] < 0 ? perm[i] + n : perm[i];
            if (a < 0 || a >= n || seen[a]) throw new IllegalArgumentException("invalid permutation " + Arrays.toString(perm) + " for rank " + n);
            seen[a] = true;
            s[i] = shape[a]; st[i] = strides[a];
        }
        return new NDArray(dtype, s, st, offset, data);
    }

    /** A view, or a copy when this array's layout cannot be viewed with the new shape. One dim may be -1. */
    public NDArray reshape(long... newShape) {
        long[] s = Shapes.resolveReshape(shape, newShape);
        if (isContiguous()) return new NDArray(dtype, s, Shapes.cStrides(s), offset, data);
        NDArray c = copy();
        return new NDArray(dtype, s, Shapes.cStrides(s), 0, c.data);
    }

    /** A view of {@code start:stop:step} along {@code axis}, with Python's rules for negative and out-of-range bounds. */
    public NDArray slice(int axis, long start, long stop, long step) {
        int ax = Shapes.axis(axis, shape.length);
        long[] r = Shapes.sliceIndices(shape[ax], start, stop, step);
        long[] s = shape.clone(), st = strides.clone();
        s[ax] = r[3];
        st[ax] = strides[ax] * step;
        return new NDArray(dtype, s, st, offset + r[0] * strides[ax], data);
    }

    /** A view of element {@code i} along {@code axis}: that axis is dropped. */
    public NDArray index(int axis, long i) {
        int ax = Shapes.axis(axis, shape.length);
        long k = i < 0 ? i + shape[ax] : i;
        if (k < 0 || k >= shape[ax]) throw new IndexOutOfBoundsException("index " + i + " is out of bounds for axis " + ax + " with size " + shape[ax]);
        return new NDArray(dtype, Shapes.drop(shape, ax), Shapes.drop(strides, ax), offset + k * strides[ax], data);
    }

    /** A read-only-by-convention view broadcast to {@code target} (stride 0 on broadcast dims), NumPy rules. */
    public NDArray broadcastTo(long... target) {
        if (target.length < shape.length) throw new IllegalArgumentException("cannot broadcast shape " + Shapes.str(shape) + " to " + Shapes.str(target));
        long[] st = new long[target.length];
        int lead = target.length - shape.length;
        for (int d = 0; d < target.length; d++) {
            if (d < lead) { st[d] = 0; continue; }
            long s = shape[d - lead];
            if (s == target[d]) st[d] = strides[d - lead];
            else if (s == 1) st[d] = 0;
            else throw new IllegalArgumentException("cannot broadcast shape " + Shapes.str(shape) + " to " + Shapes.str(target));
        }
        return new NDArray(dtype, target.clone(), st, offset, data);
    }

    /** A view with a new axis of size 1 at {@code axis}. */
    public NDArray expandDims(int axis) {
        int ax = Shapes.axis(axis, shape.length + 1);
        return new NDArray(dtype, Shapes.insert(shape, ax, 1), Shapes.insert(strides, ax, 0), offset, data);
    }

    /** A view with new shape and strides over the same storage; the caller guarantees they stay inside it. */
    public NDArray view(long[] newShape, long[] newStrides, long newOffset) {
        return new NDArray(dtype, newShape.clone(), newStrides.clone(), newOffset, data);
    }

    /** True when both arrays view the same storage. */
    public boolean sharesStorageWith(NDArray o) { return data == o.data || data.address() == o.data.address() && data.byteSize() == o.data.byteSize(); }

    // ---------------------------------------------------------------- equality and printing

    /** Same dtype, shape and values (NaN equals NaN). */
    public boolean contentEquals(NDArray o) {
        if (o == this) return true;
        if (dtype != o.dtype || !Arrays.equals(shape, o.shape)) return false;
        long n = size();
        if (dtype.isDiscrete()) { for (long i = 0; i < n; i++) if (flatLong(i) != o.flatLong(i)) return false; }
        else for (long i = 0; i < n; i++) if (Double.compare(flatDouble(i), o.flatDouble(i)) != 0) return false;
        return true;
    }

    public int contentHash() {
        int h = dtype.hashCode() * 31 + Arrays.hashCode(shape);
        long n = Math.min(size(), 64);
        for (long i = 0; i < n; i++) h = h * 31 + Double.hashCode(flatDouble(i));
        return h;
    }

    /** NumPy's {@code str()}: {@code [[1. 2.]\n [3. 4.]]}; large arrays are summarised with "...". */
    @Override
    public String toString() { return ArrayFormat.format(this); }
}
