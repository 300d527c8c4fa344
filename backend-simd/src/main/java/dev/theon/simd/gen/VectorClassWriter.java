package dev.theon.simd.gen;

import dev.theon.tensor.DType;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.theon.simd.gen.Descs.*;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

/**
 * Writes a {@link VectorPlan} as the bytecode of a class implementing {@link ElemKernel}: one static method per
 * stage, each one straight-line Vector API code in an unmasked main loop followed by one masked tail, with the
 * species, the byte order and (for bool memory) the byte species as static final fields, which C2 folds into
 * constants. {@link KernelSource} prints the same statements as Java.
 */
final class VectorClassWriter {
    private final VectorPlan p;
    private final ClassDesc self;
    private final boolean f32;
    private final ClassDesc fv;       // FloatVector or DoubleVector
    private final ClassDesc prim;     // float or double
    private final ClassDesc primArray;
    private final int es, lanes;
    private final ClassDesc byteSpecies;  // type of BS; null when no bool memory

    private VectorClassWriter(VectorPlan p, ClassDesc self) {
        this.p = p;
        this.self = self;
        this.f32 = p.f == DType.FLOAT32;
        this.fv = f32 ? FV : DV;
        this.prim = f32 ? ConstantDescs.CD_float : ConstantDescs.CD_double;
        this.primArray = prim.arrayType();
        this.es = f32 ? 4 : 8;
        this.lanes = f32 ? FloatVector.SPECIES_PREFERRED.length() : DoubleVector.SPECIES_PREFERRED.length();
        this.byteSpecies = p.usesBoolMemory() ? VS : null;
    }

    /** The byte species whose lane count matches the float species ("SPECIES_128" for 16 floats), or null if none exists. */
    static String byteSpeciesName(int lanes) {
        return switch (lanes) { case 8 -> "SPECIES_64"; case 16 -> "SPECIES_128"; case 32 -> "SPECIES_256"; case 64 -> "SPECIES_512"; default -> null; };
    }

    static byte[] write(VectorPlan p, ClassDesc self) {
        return new VectorClassWriter(p, self).write();
    }

    private byte[] write() {
        return ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER);
            cb.withInterfaceSymbols(ELEM_KERNEL);
            int sf = ClassFile.ACC_STATIC | ClassFile.ACC_FINAL | ClassFile.ACC_PRIVATE;
            cb.withField("S", VS, sf);
            cb.withField("ORDER", BO, sf);
            if (byteSpecies != null) cb.withField("BS", VS, sf);
            cb.withMethodBody("<clinit>", mt(CD_void), ClassFile.ACC_STATIC, c -> {
                c.getstatic(fv, "SPECIES_PREFERRED", VS);
                c.putstatic(self, "S", VS);
                c.invokestatic(BO, "nativeOrder", mt(BO));
                c.putstatic(self, "ORDER", BO);
                if (byteSpecies != null) {
                    c.getstatic(BV, byteSpeciesName(lanes), VS);
                    c.putstatic(self, "BS", VS);
                }
                c.return_();
            });
            cb.withMethodBody("<init>", mt(CD_void), ClassFile.ACC_PUBLIC, c -> {
                c.aload(0);
                c.invokespecial(CD_Object, "<init>", mt(CD_void));
                c.return_();
            });
            MethodTypeDesc stageType = mt(CD_void, MS_ARRAY, LONG_ARRAY, CD_Object, CD_long, CD_long);
            cb.withMethodBody("run", RUN, ClassFile.ACC_PUBLIC, c -> writeRun(c, stageType));
            for (int s = 0; s < p.stages.size(); s++) {
                int stage = s;
                cb.withMethodBody("stage" + s, stageType, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC, c -> writeStage(c, stage));
            }
        });
    }

    /** run(segs, offs, strides, scratch, n): one stage over the row, or every stage block by block. */
    private void writeRun(CodeBuilder c, MethodTypeDesc stageType) {
        // slots: 0 this, 1 segs, 2 offs, 3 strides, 4 scratch, 5-6 n
        if (p.stages.size() == 1) {
            c.aload(1); c.aload(2); c.aload(4); c.lconst_0(); c.lload(5);
            c.invokestatic(self, "stage0", stageType);
            c.return_();
            return;
        }
        int b = c.allocateLocal(TypeKind.LONG), len = c.allocateLocal(TypeKind.LONG);
        Label loop = c.newLabel(), end = c.newLabel();
        c.lconst_0(); c.lstore(b);
        c.labelBinding(loop);
        c.lload(b); c.lload(5); c.lcmp(); c.ifge(end);
        c.ldc((long) VectorPlan.BLOCK); c.lload(5); c.lload(b); c.lsub();
        c.invokestatic(ClassDesc.of("java.lang.Math"), "min", mt(CD_long, CD_long, CD_long));
        c.lstore(len);
        for (int s = 0; s < p.stages.size(); s++) {
            c.aload(1); c.aload(2); c.aload(4); c.lload(b); c.lload(len);
            c.invokestatic(self, "stage" + s, stageType);
        }
        c.lload(b); c.ldc((long) VectorPlan.BLOCK); c.ladd(); c.lstore(b);
        c.goto_(loop);
        c.labelBinding(end);
        c.return_();
    }

    // per-stage method state
    private int[] segOf, offOf, arrOf;
    private Map<Integer, Integer> slotOf;
    private int iSlot, maskSlot;

    private void writeStage(CodeBuilder c, int s) {
        // slots: 0 segs, 1 offs, 2 scratch, 3-4 base, 5-6 n
        boolean[] used = p.inputsUsed(s), written = p.outputsWritten(s);
        int total = p.nIn + p.nOut;
        segOf = new int[total];
        offOf = new int[total];
        for (int k = 0; k < total; k++) {
            if (k < p.nIn ? !used[k] : !written[k - p.nIn]) continue;
            segOf[k] = c.allocateLocal(TypeKind.REFERENCE);
            offOf[k] = c.allocateLocal(TypeKind.LONG);
            c.aload(0); c.ldc(k); c.aaload(); c.astore(segOf[k]);
            c.aload(1); c.ldc(k); c.laload();
            // a block starts base elements into the row; a broadcast input (stride 0) stays on its one value
            if (k >= p.nIn || p.access[k] != VectorPlan.Access.BCAST) { c.lload(3); c.ladd(); }
            c.lstore(offOf[k]);
        }
        VectorPlan.Stage st = p.stages.get(s);
        arrOf = new int[p.scratchCount()];
        for (int v : st.scratchIn()) loadScratchArray(c, p.scratchSlot.get(v));
        for (int v : st.scratchOut()) loadScratchArray(c, p.scratchSlot.get(v));
        slotOf = new HashMap<>();
        for (VectorPlan.Stmt h : p.hoisted(s)) emit(c, h, false);
        iSlot = c.allocateLocal(TypeKind.LONG);
        int bound = c.allocateLocal(TypeKind.LONG);
        maskSlot = c.allocateLocal(TypeKind.REFERENCE);
        Label loop = c.newLabel(), tail = c.newLabel(), end = c.newLabel();
        c.lconst_0(); c.lstore(iSlot);
        c.getstatic(self, "S", VS); c.lload(5);
        c.invokeinterface(VS, "loopBound", mt(CD_long, CD_long));
        c.lstore(bound);
        List<VectorPlan.Stmt> body = p.body(s);
        c.labelBinding(loop);
        c.lload(iSlot); c.lload(bound); c.lcmp(); c.ifge(tail);
        for (VectorPlan.Stmt b : body) emit(c, b, false);
        c.lload(iSlot); c.ldc((long) lanes); c.ladd(); c.lstore(iSlot);
        c.goto_(loop);
        c.labelBinding(tail);
        c.lload(iSlot); c.lload(5); c.lcmp(); c.ifge(end);
        c.getstatic(self, "S", VS); c.lload(iSlot); c.lload(5);
        c.invokeinterface(VS, "indexInRange", mt(VM, CD_long, CD_long));
        c.astore(maskSlot);
        for (VectorPlan.Stmt b : body) emit(c, b, true);
        c.labelBinding(end);
        c.return_();
    }

    private void loadScratchArray(CodeBuilder c, int slot) {
        if (arrOf[slot] != 0) return;
        arrOf[slot] = c.allocateLocal(TypeKind.REFERENCE);
        c.aload(2); c.checkcast(primArray.arrayType()); c.ldc(slot); c.aaload(); c.astore(arrOf[slot]);
    }

    private int slot(CodeBuilder c, int value) {
        return slotOf.computeIfAbsent(value, v -> c.allocateLocal(TypeKind.REFERENCE));
    }

    /** Pushes the byte offset {@code (off_k + i) * size} of array k at the current position. */
    private void position(CodeBuilder c, int k, int size) {
        c.lload(offOf[k]); c.lload(iSlot); c.ladd();
        if (size != 1) { c.ldc((long) size); c.lmul(); }
    }

    /** Pushes the tail mask in the byte species. */
    private void byteMask(CodeBuilder c) {
        c.aload(maskSlot); c.getstatic(self, "BS", VS); c.invokevirtual(VM, "cast", mt(VM, VS));
    }

    private void emit(CodeBuilder c, VectorPlan.Stmt stmt, boolean masked) {
        switch (stmt) {
            case VectorPlan.LoadIn l -> {
                int k = l.input();
                if (!p.inMask[k]) {
                    c.getstatic(self, "S", VS); c.aload(segOf[k]); position(c, k, es); c.getstatic(self, "ORDER", BO);
                    if (masked) { c.aload(maskSlot); c.invokestatic(fv, "fromMemorySegment", mt(fv, VS, MS, CD_long, BO, VM)); }
                    else c.invokestatic(fv, "fromMemorySegment", mt(fv, VS, MS, CD_long, BO));
                } else {
                    c.getstatic(self, "BS", VS); c.aload(segOf[k]); position(c, k, 1); c.getstatic(self, "ORDER", BO);
                    if (masked) { byteMask(c); c.invokestatic(BV, "fromMemorySegment", mt(BV, VS, MS, CD_long, BO, VM)); }
                    else c.invokestatic(BV, "fromMemorySegment", mt(BV, VS, MS, CD_long, BO));
                    c.getstatic(VO, "NE", VO_COMPARISON); c.lconst_0();
                    c.invokevirtual(BV, "compare", mt(VM, VO_COMPARISON, CD_long));
                    c.getstatic(self, "S", VS); c.invokevirtual(VM, "cast", mt(VM, VS));
                }
                c.astore(slot(c, l.value()));
            }
            case VectorPlan.Hoist h -> {
                int k = h.input();
                c.getstatic(self, "S", VS);
                if (!p.inMask[k]) {
                    String jt = f32 ? "float" : "double";
                    c.aload(segOf[k]); c.getstatic(VL, f32 ? "JAVA_FLOAT" : "JAVA_DOUBLE", layoutType(jt));
                    c.lload(offOf[k]); c.ldc((long) es); c.lmul();
                    c.invokeinterface(MS, "get", mt(prim, layoutType(jt), CD_long));
                    c.invokestatic(fv, "broadcast", mt(fv, VS, prim));
                } else {
                    c.aload(segOf[k]); c.getstatic(VL, "JAVA_BYTE", layoutType("byte"));
                    c.lload(offOf[k]);
                    c.invokeinterface(MS, "get", mt(ConstantDescs.CD_byte, layoutType("byte"), CD_long));
                    c.i2l();
                    c.invokestatic(FNS, "truthL", mt(CD_boolean, CD_long));
                    c.invokeinterface(VS, "maskAll", mt(VM, CD_boolean));
                }
                c.astore(slot(c, h.value()));
            }
            case VectorPlan.Const k -> {
                c.getstatic(self, "S", VS);
                if (f32) c.ldc((float) k.constant()); else c.ldc(k.constant());
                c.invokestatic(fv, "broadcast", mt(fv, VS, prim));
                c.astore(slot(c, k.value()));
            }
            case VectorPlan.LoadScratch l -> {
                c.getstatic(self, "S", VS); c.aload(arrOf[l.slot()]); c.lload(iSlot); c.l2i();
                if (masked) { c.aload(maskSlot); c.invokestatic(fv, "fromArray", mt(fv, VS, primArray, CD_int, VM)); }
                else c.invokestatic(fv, "fromArray", mt(fv, VS, primArray, CD_int));
                if (l.mask()) {
                    c.getstatic(VO, "NE", VO_COMPARISON); c.aload(slotOf.get(p.consts.get(0.0)));
                    c.invokevirtual(fv, "compare", mt(VM, VO_COMPARISON, VECTOR));
                }
                c.astore(slot(c, l.value()));
            }
            case VectorPlan.Compute k -> {
                compute(c, k.op());
                c.astore(slot(c, k.value()));
            }
            case VectorPlan.StoreOut o -> {
                int k = p.nIn + o.output();
                if (!o.mask()) {
                    c.aload(slotOf.get(o.value())); c.aload(segOf[k]); position(c, k, es); c.getstatic(self, "ORDER", BO);
                    if (masked) { c.aload(maskSlot); c.invokevirtual(fv, "intoMemorySegment", mt(CD_void, MS, CD_long, BO, VM)); }
                    else c.invokevirtual(fv, "intoMemorySegment", mt(CD_void, MS, CD_long, BO));
                } else {
                    c.getstatic(self, "BS", VS); c.invokestatic(BV, "zero", mt(BV, VS));
                    c.lconst_1();
                    c.aload(slotOf.get(o.value())); c.getstatic(self, "BS", VS); c.invokevirtual(VM, "cast", mt(VM, VS));
                    c.invokevirtual(BV, "blend", mt(BV, CD_long, VM));
                    c.aload(segOf[k]); position(c, k, 1); c.getstatic(self, "ORDER", BO);
                    if (masked) { byteMask(c); c.invokevirtual(BV, "intoMemorySegment", mt(CD_void, MS, CD_long, BO, VM)); }
                    else c.invokevirtual(BV, "intoMemorySegment", mt(CD_void, MS, CD_long, BO));
                }
            }
            case VectorPlan.StoreScratch o -> {
                if (o.mask()) {
                    c.aload(slotOf.get(p.consts.get(0.0))); c.aload(slotOf.get(p.consts.get(1.0))); c.aload(slotOf.get(o.value()));
                    c.invokevirtual(fv, "blend", mt(fv, VECTOR, VM));
                } else c.aload(slotOf.get(o.value()));
                c.aload(arrOf[o.slot()]); c.lload(iSlot); c.l2i();
                if (masked) { c.aload(maskSlot); c.invokevirtual(fv, "intoArray", mt(CD_void, primArray, CD_int, VM)); }
                else c.invokevirtual(fv, "intoArray", mt(CD_void, primArray, CD_int));
            }
        }
    }

    private void compute(CodeBuilder c, VectorPlan.VOp op) {
        int[] a = op.args();
        switch (op.code()) {
            case UNARY -> { c.aload(slotOf.get(a[0])); c.invokevirtual(fv, op.name(), mt(fv)); }
            case LANEWISE1 -> {
                c.aload(slotOf.get(a[0])); c.getstatic(VO, op.name(), VO_UNARY);
                c.invokevirtual(fv, "lanewise", mt(fv, VO_UNARY));
            }
            case BINARY -> {
                c.aload(slotOf.get(a[0])); c.aload(slotOf.get(a[1]));
                c.invokevirtual(fv, op.name(), mt(fv, VECTOR));
            }
            case LANEWISE2 -> {
                c.aload(slotOf.get(a[0])); c.getstatic(VO, op.name(), VO_BINARY); c.aload(slotOf.get(a[1]));
                c.invokevirtual(fv, "lanewise", mt(fv, VO_BINARY, VECTOR));
            }
            case COMPARE -> {
                c.aload(slotOf.get(a[0])); c.getstatic(VO, op.name(), VO_COMPARISON); c.aload(slotOf.get(a[1]));
                c.invokevirtual(fv, "compare", mt(VM, VO_COMPARISON, VECTOR));
            }
            case TEST -> {
                c.aload(slotOf.get(a[0])); c.getstatic(VO, op.name(), VO_TEST);
                c.invokevirtual(fv, "test", mt(VM, VO_TEST));
            }
            case BLEND -> {
                c.aload(slotOf.get(a[0])); c.aload(slotOf.get(a[1])); c.aload(slotOf.get(a[2]));
                c.invokevirtual(fv, "blend", mt(fv, VECTOR, VM));
            }
            case MASK_AND, MASK_OR, MASK_XOR, MASK_EQ -> {
                c.aload(slotOf.get(a[0])); c.aload(slotOf.get(a[1]));
                String m = switch (op.code()) { case MASK_AND -> "and"; case MASK_OR -> "or"; case MASK_XOR -> "xor"; default -> "eq"; };
                c.invokevirtual(VM, m, mt(VM, VM));
            }
            case MASK_NOT -> { c.aload(slotOf.get(a[0])); c.invokevirtual(VM, "not", mt(VM)); }
            case CONST, STORE -> throw new IllegalStateException(op.code() + " is not computed in the loop");
        }
    }
}
