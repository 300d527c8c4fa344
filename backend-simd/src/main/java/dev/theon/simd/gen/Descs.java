package dev.theon.simd.gen;

import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;

/** Symbolic references to the classes and methods generated kernels call. */
final class Descs {
    private Descs() {}

    static final ClassDesc VS = ClassDesc.of("jdk.incubator.vector.VectorSpecies");
    static final ClassDesc VECTOR = ClassDesc.of("jdk.incubator.vector.Vector");
    static final ClassDesc VM = ClassDesc.of("jdk.incubator.vector.VectorMask");
    static final ClassDesc FV = ClassDesc.of("jdk.incubator.vector.FloatVector");
    static final ClassDesc DV = ClassDesc.of("jdk.incubator.vector.DoubleVector");
    static final ClassDesc BV = ClassDesc.of("jdk.incubator.vector.ByteVector");
    static final ClassDesc VO = ClassDesc.of("jdk.incubator.vector.VectorOperators");
    static final ClassDesc VO_UNARY = ClassDesc.of("jdk.incubator.vector.VectorOperators$Unary");
    static final ClassDesc VO_BINARY = ClassDesc.of("jdk.incubator.vector.VectorOperators$Binary");
    static final ClassDesc VO_COMPARISON = ClassDesc.of("jdk.incubator.vector.VectorOperators$Comparison");
    static final ClassDesc VO_TEST = ClassDesc.of("jdk.incubator.vector.VectorOperators$Test");
    static final ClassDesc MS = ClassDesc.of("java.lang.foreign.MemorySegment");
    static final ClassDesc VL = ClassDesc.of("java.lang.foreign.ValueLayout");
    static final ClassDesc BO = ClassDesc.of("java.nio.ByteOrder");
    static final ClassDesc MS_ARRAY = MS.arrayType();
    static final ClassDesc LONG_ARRAY = ConstantDescs.CD_long.arrayType();
    static final ClassDesc FNS = ClassDesc.of(ScalarFns.class.getName());
    static final ClassDesc SCALAR_OP = ClassDesc.of("dev.theon.ops.ScalarOp");
    static final ClassDesc ELEM_KERNEL = ClassDesc.of(ElemKernel.class.getName());

    /** The interface method every kernel implements. */
    static final MethodTypeDesc RUN = MethodTypeDesc.of(ConstantDescs.CD_void, MS_ARRAY, LONG_ARRAY, LONG_ARRAY, ConstantDescs.CD_Object, ConstantDescs.CD_long);

    /** The ValueLayout constant and its type for reading one element of a dtype of {@code bytes} bytes. */
    static ClassDesc layoutType(String javaType) {
        return ClassDesc.of("java.lang.foreign.ValueLayout$Of" + Character.toUpperCase(javaType.charAt(0)) + javaType.substring(1));
    }

    static MethodTypeDesc mt(ClassDesc ret, ClassDesc... args) { return MethodTypeDesc.of(ret, args); }
}
