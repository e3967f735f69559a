package dev.weft.agent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.ClassConstant;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Loads a woven method's {@code MethodPlan} as a constant of the method: what {@link Bind}
 * stands for in {@link WovenAdvice}.
 *
 * <h2>Design</h2>
 *
 * A near cache hit costs tens of nanoseconds, so finding the plan must cost nothing at all: not a
 * map look-up per call, but a constant the JVM resolves once, at the first call, and the JIT then
 * folds. How depends on what the woven class file may hold, by its version:
 *
 * <ul>
 *   <li>Java 11 (55) and later: one {@code ldc} of a dynamic constant ({@code CONSTANT_Dynamic})
 *       bootstrapped by {@code Woven.constant};
 *   <li>Java 7 to 10 (51 to 54; Kotlin's default JVM target is 1.8, version 52): an {@code
 *       invokedynamic} linked to a constant call site by {@code Woven.callSite};
 *   <li>older: {@code Woven.plan(Owner.class, "m(...)...")} at every call (ByteBuddy's class
 *       constant, a {@code Class.forName} below Java 5).
 * </ul>
 *
 * Each stands for the method by its name and JVM descriptor, which the bootstrap resolves against
 * its caller's class. A constant is a constant pool entry, not a member, so the woven class keeps
 * its shape and a loaded class can be retransformed. The advice stores the plan in a local once
 * per call, for its exit half. The instructions are written with ByteBuddy's ASM directly: each
 * shape is one or three instructions, and ByteBuddy's {@code JavaConstant} would first describe
 * the bootstrap methods, by reflection on weft-core, for every woven method.
 */
final class PlanConstant implements StackManipulation {

  /** Binds an advice parameter of type {@code MethodPlan} to the woven method's plan. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Bind {}

  /** ByteBuddy's binding of {@link Bind}: a plan constant for each woven method. */
  static final class Binding implements Advice.OffsetMapping {
    @Override
    public Target resolve(
        TypeDescription instrumentedType, MethodDescription instrumentedMethod, Assigner assigner,
        Advice.ArgumentHandler argumentHandler, Sort sort) {
      return new Target.ForStackManipulation(new PlanConstant(
          instrumentedType, instrumentedMethod.getInternalName() + instrumentedMethod.getDescriptor()));
    }
  }

  /** The name of the constant or call site; also how tests recognize a woven class file. */
  static final String NAME = "weftPlan";

  private static final String WOVEN = "dev/weft/weaving/Woven";
  private static final String PLAN = "Ldev/weft/weaving/MethodPlan;";
  private static final Handle CONSTANT_BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, WOVEN,
      "constant", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;"
          + "Ljava/lang/String;)" + PLAN, false);
  private static final Handle CALL_SITE_BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, WOVEN,
      "callSite", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
          + "Ljava/lang/invoke/MethodType;Ljava/lang/String;)Ljava/lang/invoke/CallSite;", false);

  private final TypeDescription owner;
  private final String nameAndDescriptor;

  private PlanConstant(TypeDescription owner, String nameAndDescriptor) {
    this.owner = owner;
    this.nameAndDescriptor = nameAndDescriptor;
  }

  @Override
  public boolean isValid() {
    return true;
  }

  @Override
  public Size apply(MethodVisitor methodVisitor, Implementation.Context context) {
    ClassFileVersion version = context.getClassFileVersion();
    if (version.isAtLeast(ClassFileVersion.JAVA_V11)) {
      methodVisitor.visitLdcInsn(
          new ConstantDynamic(NAME, PLAN, CONSTANT_BOOTSTRAP, nameAndDescriptor));
      return new Size(1, 1);
    }
    if (version.isAtLeast(ClassFileVersion.JAVA_V7)) {
      methodVisitor.visitInvokeDynamicInsn(
          NAME, "()" + PLAN, CALL_SITE_BOOTSTRAP, nameAndDescriptor);
      return new Size(1, 1);
    }
    Size owner = ClassConstant.of(this.owner).apply(methodVisitor, context);
    methodVisitor.visitLdcInsn(nameAndDescriptor);
    methodVisitor.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "plan",
        "(Ljava/lang/Class;Ljava/lang/String;)" + PLAN, false);
    return new Size(1, Math.max(owner.getMaximalSize(), 2));
  }
}
