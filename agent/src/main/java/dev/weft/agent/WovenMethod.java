package dev.weft.agent;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;

/**
 * Rewrites one Weft-annotated method so that weft-core's {@code MethodPlan} runs around its body,
 * as AspectJ's around advice does under compile-time weaving. In Java terms, a method {@code R
 * m(A a, B b)} becomes:
 *
 * <pre>{@code
 * MethodPlan plan = Woven.plan(Owner.class, "m(LA;LB;)LR;");   // a constant, see below
 * Object[] args = {a, b};                       // primitives boxed
 * CallScope scope = plan.enter(this, args);     // null for a static method
 * if (scope.skip()) return (R) plan.exit(scope, null, null);    // a cache hit, a skipped lock
 * args = scope.args(args); a = (A) args[0]; b = (B) args[1];    // a bulk method's missing ids
 * Object returned;
 * try {
 *   returned = <the original body, each return jumping here with its value>;
 * } catch (Throwable t) {
 *   plan.exit(scope, null, t);
 *   throw t;
 * }
 * return (R) plan.exit(scope, returned, null);
 * }</pre>
 *
 * A {@code void} method is the same without a value and without the argument reassignment.
 *
 * <h2>Design</h2>
 *
 * <p><b>In place.</b> The body's instructions are copied unchanged except for its returns, which
 * become jumps to the common exit. The plan and the scope live in the two local slots after the
 * body's own ({@code locals} and {@code locals + 1}), so no instruction of the body is renumbered;
 * every frame of the body gets those two slots appended (the frames arrive expanded). The
 * argument array and the returned value or exception use two more slots, each only in code with
 * no frame between its store and its last load.
 *
 * <p><b>The plan is a constant.</b> In a class file of Java 11 or later the plan is loaded with
 * one {@code ldc} of a dynamic constant ({@code CONSTANT_Dynamic}, bootstrapped by {@code
 * Woven.constant}): resolved once, at the first call, then a constant to the JIT, so a call does
 * not look it up (a few ns of a near hit). Older class files call {@code Woven.plan} each time.
 * A dynamic constant is a constant pool entry, not a member, so the class keeps its shape.
 *
 * <p><b>The exception handler comes last.</b> The JVM picks the first matching entry of a
 * method's exception table, so the catch-all around the body is registered after the body's own
 * handlers, which therefore still see their exceptions first. ASM requires handlers to be
 * registered before their labels appear, and reads the table before the code, so the woven code
 * begins at the first visit that is not a handler.
 *
 * <p><b>Frames.</b> Written by hand at the four places code meets: after the skip, at the exit,
 * at the handler (each with the body's locals unknown, as {@code TOP}: only the plan and the scope
 * are read there), and the body's own. A {@code NOP} keeps the frame after the skip apart from a
 * frame the body may have at its first instruction (two frames cannot share an offset).
 */
final class WovenMethod extends MethodVisitor {

  private static final String WOVEN = "dev/weft/weaving/Woven";
  private static final String PLAN = "dev/weft/weaving/MethodPlan";
  private static final String SCOPE = "dev/weft/weaving/CallScope";
  private static final String OBJECT = "java/lang/Object";
  private static final String OBJECTS = "[Ljava/lang/Object;";
  private static final String THROWABLE = "java/lang/Throwable";
  /** {@code Woven.constant}: the bootstrap of the dynamic constant that holds a method's plan. */
  private static final Handle PLAN_CONSTANT = new Handle(Opcodes.H_INVOKESTATIC, WOVEN, "constant",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;"
          + "Ljava/lang/String;)Ldev/weft/weaving/MethodPlan;", false);
  private static final String EXIT =
      "(Ldev/weft/weaving/CallScope;Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;";

  private final String owner;
  /** Whether the class file may hold dynamic constants (Java 11, version 55, and later). */
  private final boolean dynamicConstants;
  private final boolean isStatic;
  private final String nameAndDescriptor;
  private final Type[] parameters;
  private final Type returned;
  private final boolean returnsValue;
  /** The body's own local slots; the woven code's come after them. */
  private final int locals;

  private final int planSlot;
  private final int scopeSlot;
  private final int argsSlot;
  private final int valueSlot;

  private final Label tryStart = new Label();
  private final Label tryEnd = new Label();
  private final Label exit = new Label();
  private final Label handler = new Label();
  private boolean begun;
  private boolean ended;

  WovenMethod(
      MethodVisitor next, String owner, int version, int access, String name, String descriptor,
      int locals) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.dynamicConstants = version >= Opcodes.V11;
    this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
    this.nameAndDescriptor = name + descriptor;
    this.parameters = Type.getArgumentTypes(descriptor);
    this.returned = Type.getReturnType(descriptor);
    this.returnsValue = returned.getSort() != Type.VOID;
    this.locals = locals;
    this.planSlot = locals;
    this.scopeSlot = locals + 1;
    this.argsSlot = locals + 2;
    this.valueSlot = locals + 3;
  }

  // ---- the woven code ----------------------------------------------------------------------

  /** Registers the catch-all after the body's handlers, then writes the code before the body. */
  private void begin() {
    if (begun) {
      return;
    }
    begun = true;
    MethodVisitor mv = super.mv;
    mv.visitTryCatchBlock(tryStart, tryEnd, handler, THROWABLE);

    if (dynamicConstants) {
      mv.visitLdcInsn(new ConstantDynamic("weftPlan", "L" + PLAN + ";", PLAN_CONSTANT,
          nameAndDescriptor));
    } else {
      mv.visitLdcInsn(Type.getObjectType(owner));
      mv.visitLdcInsn(nameAndDescriptor);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "plan",
          "(Ljava/lang/Class;Ljava/lang/String;)Ldev/weft/weaving/MethodPlan;", false);
    }
    mv.visitVarInsn(Opcodes.ASTORE, planSlot);
    mv.visitVarInsn(Opcodes.ALOAD, planSlot);
    if (isStatic) {
      mv.visitInsn(Opcodes.ACONST_NULL);
    } else {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
    }
    pushInt(mv, parameters.length);
    mv.visitTypeInsn(Opcodes.ANEWARRAY, OBJECT);
    int slot = isStatic ? 0 : 1;
    for (int i = 0; i < parameters.length; i++) {
      mv.visitInsn(Opcodes.DUP);
      pushInt(mv, i);
      mv.visitVarInsn(parameters[i].getOpcode(Opcodes.ILOAD), slot);
      box(mv, parameters[i]);
      mv.visitInsn(Opcodes.AASTORE);
      slot += parameters[i].getSize();
    }
    boolean reassigns = returnsValue && parameters.length > 0;
    if (reassigns) {
      mv.visitInsn(Opcodes.DUP);
      mv.visitVarInsn(Opcodes.ASTORE, argsSlot);
    }
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, PLAN, "enter",
        "(Ljava/lang/Object;[Ljava/lang/Object;)Ldev/weft/weaving/CallScope;", false);
    mv.visitVarInsn(Opcodes.ASTORE, scopeSlot);

    Label body = new Label();
    mv.visitVarInsn(Opcodes.ALOAD, scopeSlot);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SCOPE, "skip", "()Z", false);
    mv.visitJumpInsn(Opcodes.IFEQ, body);
    mv.visitVarInsn(Opcodes.ALOAD, planSlot);
    mv.visitVarInsn(Opcodes.ALOAD, scopeSlot);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, PLAN, "exit", EXIT, false);
    returnFromObject(mv);

    mv.visitLabel(body);
    List<Object> entry = parameterLocals();
    padTo(entry, locals);
    entry.add(PLAN);
    entry.add(SCOPE);
    if (reassigns) {
      entry.add(OBJECTS);
    }
    mv.visitFrame(Opcodes.F_NEW, entry.size(), entry.toArray(), 0, new Object[0]);
    mv.visitInsn(Opcodes.NOP);
    if (reassigns) {
      mv.visitVarInsn(Opcodes.ALOAD, scopeSlot);
      mv.visitVarInsn(Opcodes.ALOAD, argsSlot);
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SCOPE, "args",
          "([Ljava/lang/Object;)[Ljava/lang/Object;", false);
      mv.visitVarInsn(Opcodes.ASTORE, argsSlot);
      slot = isStatic ? 0 : 1;
      for (int i = 0; i < parameters.length; i++) {
        mv.visitVarInsn(Opcodes.ALOAD, argsSlot);
        pushInt(mv, i);
        mv.visitInsn(Opcodes.AALOAD);
        unboxOrCast(mv, parameters[i]);
        mv.visitVarInsn(parameters[i].getOpcode(Opcodes.ISTORE), slot);
        slot += parameters[i].getSize();
      }
    }
    mv.visitLabel(tryStart);
  }

  /** Writes the common exit and the handler after the body. */
  private void end() {
    if (ended || !begun) {
      return;
    }
    ended = true;
    MethodVisitor mv = super.mv;
    mv.visitLabel(tryEnd);

    List<Object> after = new ArrayList<>();
    padTo(after, locals);
    after.add(PLAN);
    after.add(SCOPE);
    Object[] afterLocals = after.toArray();

    mv.visitLabel(exit);
    if (returnsValue) {
      mv.visitFrame(Opcodes.F_NEW, afterLocals.length, afterLocals, 1, new Object[] {OBJECT});
      mv.visitVarInsn(Opcodes.ASTORE, valueSlot);
      mv.visitVarInsn(Opcodes.ALOAD, planSlot);
      mv.visitVarInsn(Opcodes.ALOAD, scopeSlot);
      mv.visitVarInsn(Opcodes.ALOAD, valueSlot);
    } else {
      mv.visitFrame(Opcodes.F_NEW, afterLocals.length, afterLocals, 0, new Object[0]);
      mv.visitVarInsn(Opcodes.ALOAD, planSlot);
      mv.visitVarInsn(Opcodes.ALOAD, scopeSlot);
      mv.visitInsn(Opcodes.ACONST_NULL);
    }
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, PLAN, "exit", EXIT, false);
    returnFromObject(mv);

    mv.visitLabel(handler);
    mv.visitFrame(Opcodes.F_NEW, afterLocals.length, afterLocals, 1, new Object[] {THROWABLE});
    mv.visitVarInsn(Opcodes.ASTORE, valueSlot);
    mv.visitVarInsn(Opcodes.ALOAD, planSlot);
    mv.visitVarInsn(Opcodes.ALOAD, scopeSlot);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ALOAD, valueSlot);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, PLAN, "exit", EXIT, false);
    mv.visitInsn(Opcodes.POP);
    mv.visitVarInsn(Opcodes.ALOAD, valueSlot);
    mv.visitInsn(Opcodes.ATHROW);
  }

  /** Converts the {@code Object} on the stack to the return type and returns it. */
  private void returnFromObject(MethodVisitor mv) {
    if (returnsValue) {
      unboxOrCast(mv, returned);
      mv.visitInsn(returned.getOpcode(Opcodes.IRETURN));
    } else {
      mv.visitInsn(Opcodes.POP);
      mv.visitInsn(Opcodes.RETURN);
    }
  }

  /** The frame types of the receiver and the parameters, as the method starts. */
  private List<Object> parameterLocals() {
    List<Object> types = new ArrayList<>();
    if (!isStatic) {
      types.add(owner);
    }
    for (Type parameter : parameters) {
      types.add(frameType(parameter));
    }
    return types;
  }

  /** Appends {@code TOP} to frame locals until they fill {@code slots} slots. */
  private static void padTo(List<Object> frameLocals, int slots) {
    int used = 0;
    for (Object type : frameLocals) {
      used += type == Opcodes.LONG || type == Opcodes.DOUBLE ? 2 : 1;
    }
    for (; used < slots; used++) {
      frameLocals.add(Opcodes.TOP);
    }
  }

  private static Object frameType(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN:
      case Type.BYTE:
      case Type.CHAR:
      case Type.SHORT:
      case Type.INT:
        return Opcodes.INTEGER;
      case Type.FLOAT:
        return Opcodes.FLOAT;
      case Type.LONG:
        return Opcodes.LONG;
      case Type.DOUBLE:
        return Opcodes.DOUBLE;
      default:
        return type.getInternalName();
    }
  }

  private static void box(MethodVisitor mv, Type type) {
    String wrapper = wrapper(type);
    if (wrapper != null) {
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "valueOf",
          "(" + type.getDescriptor() + ")L" + wrapper + ";", false);
    }
  }

  private static void unboxOrCast(MethodVisitor mv, Type type) {
    String wrapper = wrapper(type);
    if (wrapper != null) {
      mv.visitTypeInsn(Opcodes.CHECKCAST, wrapper);
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, wrapper, type.getClassName() + "Value",
          "()" + type.getDescriptor(), false);
    } else if (!type.getInternalName().equals(OBJECT)) {
      mv.visitTypeInsn(Opcodes.CHECKCAST, type.getInternalName());
    }
  }

  /** @return the wrapper class of a primitive type, or {@code null} for a reference type */
  private static String wrapper(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN:
        return "java/lang/Boolean";
      case Type.BYTE:
        return "java/lang/Byte";
      case Type.CHAR:
        return "java/lang/Character";
      case Type.SHORT:
        return "java/lang/Short";
      case Type.INT:
        return "java/lang/Integer";
      case Type.FLOAT:
        return "java/lang/Float";
      case Type.LONG:
        return "java/lang/Long";
      case Type.DOUBLE:
        return "java/lang/Double";
      default:
        return null;
    }
  }

  private static void pushInt(MethodVisitor mv, int value) {
    if (value <= 5) {
      mv.visitInsn(Opcodes.ICONST_0 + value);
    } else if (value <= Byte.MAX_VALUE) {
      mv.visitIntInsn(Opcodes.BIPUSH, value);
    } else {
      mv.visitIntInsn(Opcodes.SIPUSH, value);
    }
  }

  // ---- the body, copied --------------------------------------------------------------------

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    begin();
    List<Object> frameLocals = new ArrayList<>(numLocal + 4);
    for (int i = 0; i < numLocal; i++) {
      frameLocals.add(local[i]);
    }
    padTo(frameLocals, locals);
    frameLocals.add(PLAN);
    frameLocals.add(SCOPE);
    super.visitFrame(Opcodes.F_NEW, frameLocals.size(), frameLocals.toArray(), numStack, stack);
  }

  @Override
  public void visitInsn(int opcode) {
    begin();
    if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
      if (returnsValue) {
        box(super.mv, returned);
      }
      super.visitJumpInsn(Opcodes.GOTO, exit);
      return;
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    begin();
    super.visitIntInsn(opcode, operand);
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    begin();
    super.visitVarInsn(opcode, varIndex);
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    begin();
    super.visitTypeInsn(opcode, type);
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    begin();
    super.visitFieldInsn(opcode, owner, name, descriptor);
  }

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String name, String descriptor, boolean isInterface) {
    begin();
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
  }

  @Override
  public void visitInvokeDynamicInsn(
      String name, String descriptor, Handle bootstrapMethodHandle,
      Object... bootstrapMethodArguments) {
    begin();
    super.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    begin();
    super.visitJumpInsn(opcode, label);
  }

  @Override
  public void visitLabel(Label label) {
    begin();
    super.visitLabel(label);
  }

  @Override
  public void visitLdcInsn(Object value) {
    begin();
    super.visitLdcInsn(value);
  }

  @Override
  public void visitIincInsn(int varIndex, int increment) {
    begin();
    super.visitIincInsn(varIndex, increment);
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    begin();
    super.visitTableSwitchInsn(min, max, dflt, labels);
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    begin();
    super.visitLookupSwitchInsn(dflt, keys, labels);
  }

  @Override
  public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    begin();
    super.visitMultiANewArrayInsn(descriptor, numDimensions);
  }

  @Override
  public void visitLineNumber(int line, Label start) {
    begin();
    super.visitLineNumber(line, start);
  }

  @Override
  public void visitLocalVariable(
      String name, String descriptor, String signature, Label start, Label end, int index) {
    end();
    super.visitLocalVariable(name, descriptor, signature, start, end, index);
  }

  @Override
  public AnnotationVisitor visitLocalVariableAnnotation(
      int typeRef, TypePath typePath, Label[] start, Label[] end, int[] index, String descriptor,
      boolean visible) {
    end();
    return super.visitLocalVariableAnnotation(
        typeRef, typePath, start, end, index, descriptor, visible);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    end();
    super.visitMaxs(maxStack, maxLocals);
  }
}
