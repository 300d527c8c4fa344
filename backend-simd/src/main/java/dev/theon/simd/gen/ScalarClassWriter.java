package dev.theon.simd.gen;

import dev.theon.tensor.DType;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;

import static dev.theon.simd.gen.Descs.*;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

/** Writes a {@link ScalarPlan} as a class implementing {@link ElemKernel}: one strided scalar loop. */
final class ScalarClassWriter {
    private ScalarClassWriter() {}

    static byte[] write(ScalarPlan p, ClassDesc self) {
        return ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
            cb.withInterfaceSymbols(ELEM_KERNEL);
            cb.withMethodBody("<init>", mt(CD_void), ClassFile.ACC_PUBLIC, c -> {
                c.aload(0);
                c.invokespecial(CD_Object, "<init>", mt(CD_void));
                c.return_();
            });
            cb.withMethodBody("run", RUN, ClassFile.ACC_PUBLIC, c -> writeRun(c, p));
        });
    }

    /** The Java type name that reads one element of {@code d}: "byte", "short", "int", "long", "float", "double". */
    static String javaType(DType d) {
        return switch (d) {
            case BOOL, INT8 -> "byte";
            case INT16 -> "short";
            case INT32 -> "int";
            case INT64 -> "long";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case FLOATX -> throw new IllegalStateException("floatX must be bound");
        };
    }

    static String layoutName(DType d) { return "JAVA_" + javaType(d).toUpperCase(java.util.Locale.ROOT); }

    static ClassDesc primitive(String javaType) {
        return switch (javaType) {
            case "byte" -> ConstantDescs.CD_byte; case "short" -> ConstantDescs.CD_short; case "int" -> ConstantDescs.CD_int;
            case "long" -> CD_long; case "float" -> ConstantDescs.CD_float; default -> ConstantDescs.CD_double;
        };
    }

    private static TypeKind kind(char rep) {
        return switch (rep) { case 'J' -> TypeKind.LONG; case 'D' -> TypeKind.DOUBLE; default -> TypeKind.INT; };
    }

    private static ClassDesc desc(char rep) {
        return switch (rep) { case 'J' -> CD_long; case 'D' -> ConstantDescs.CD_double; default -> ConstantDescs.CD_boolean; };
    }

    private static void writeRun(CodeBuilder c, ScalarPlan p) {
        // slots: 0 this, 1 segs, 2 offs, 3 strides, 4 scratch, 5-6 n
        int total = p.nIn + p.nOut;
        int[] seg = new int[total], pos = new int[total], step = new int[total];
        for (int k = 0; k < total; k++) {
            seg[k] = c.allocateLocal(TypeKind.REFERENCE);
            pos[k] = c.allocateLocal(TypeKind.LONG);
            step[k] = c.allocateLocal(TypeKind.LONG);
            c.aload(1); c.ldc(k); c.aaload(); c.astore(seg[k]);
            c.aload(2); c.ldc(k); c.laload(); c.lstore(pos[k]);
            c.aload(3); c.ldc(k); c.laload(); c.lstore(step[k]);
        }
        int[] slot = new int[p.reps.size()];
        for (int v = 0; v < slot.length; v++) slot[v] = c.allocateLocal(kind(p.reps.get(v)));
        int i = c.allocateLocal(TypeKind.LONG);
        Label loop = c.newLabel(), end = c.newLabel();
        c.lconst_0(); c.lstore(i);
        c.labelBinding(loop);
        c.lload(i); c.lload(5); c.lcmp(); c.ifge(end);
        for (ScalarPlan.Stmt s : p.body) {
            switch (s) {
                case ScalarPlan.Load l -> {
                    String jt = javaType(l.dtype());
                    ClassDesc lt = layoutType(jt);
                    c.aload(seg[l.input()]); c.getstatic(VL, layoutName(l.dtype()), lt);
                    c.lload(pos[l.input()]);
                    if (l.dtype().byteSize() != 1) { c.ldc((long) l.dtype().byteSize()); c.lmul(); }
                    c.invokeinterface(MS, "get", mt(primitive(jt), lt, CD_long));
                    switch (jt) {
                        case "byte", "short", "int" -> { c.i2l(); c.lstore(slot[l.value()]); }
                        case "long" -> c.lstore(slot[l.value()]);
                        case "float" -> { c.f2d(); c.dstore(slot[l.value()]); }
                        default -> c.dstore(slot[l.value()]);
                    }
                }
                case ScalarPlan.Call k -> {
                    ClassDesc[] params;
                    int off = 0;
                    if (k.table() != null) {
                        c.getstatic(SCALAR_OP, k.table().name(), SCALAR_OP);
                        params = new ClassDesc[k.args().length + 1];
                        params[0] = SCALAR_OP;
                        off = 1;
                    } else params = new ClassDesc[k.args().length];
                    for (int a = 0; a < k.args().length; a++) {
                        c.loadLocal(kind(k.argReps()[a]), slot[k.args()[a]]);
                        params[a + off] = desc(k.argReps()[a]);
                    }
                    c.invokestatic(FNS, k.method(), mt(desc(k.ret()), params));
                    c.storeLocal(kind(k.ret()), slot[k.value()]);
                }
                case ScalarPlan.Store st -> {
                    int o = p.nIn + st.output();
                    String jt = javaType(st.dtype());
                    ClassDesc lt = layoutType(jt);
                    c.aload(seg[o]); c.getstatic(VL, layoutName(st.dtype()), lt);
                    c.lload(pos[o]);
                    if (st.dtype().byteSize() != 1) { c.ldc((long) st.dtype().byteSize()); c.lmul(); }
                    if (st.dtype().isDiscrete()) {
                        c.lload(slot[st.value()]);
                        switch (jt) {
                            case "byte" -> { c.l2i(); c.i2b(); }
                            case "short" -> { c.l2i(); c.i2s(); }
                            case "int" -> c.l2i();
                            default -> { }
                        }
                    } else {
                        c.dload(slot[st.value()]);
                        if (jt.equals("float")) c.d2f();
                    }
                    c.invokeinterface(MS, "set", mt(CD_void, lt, CD_long, primitive(jt)));
                }
            }
        }
        for (int k = 0; k < total; k++) { c.lload(pos[k]); c.lload(step[k]); c.ladd(); c.lstore(pos[k]); }
        c.lload(i); c.lconst_1(); c.ladd(); c.lstore(i);
        c.goto_(loop);
        c.labelBinding(end);
        c.return_();
    }
}
