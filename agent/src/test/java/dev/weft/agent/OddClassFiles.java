package dev.weft.agent;

import java.util.EnumSet;
import java.util.Set;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Class files that javac does not write, made with ByteBuddy's ASM for the weaver's tests: returns
 * that leave values on the operand stack, class files without stack map frames, a method too
 * large to weave. And a reading of how a woven class file loads its plans.
 */
final class OddClassFiles {

  /** How woven code loads a method's plan. */
  enum PlanLoad { DYNAMIC_CONSTANT, CALL_SITE, LOOK_UP_PER_CALL }

  private OddClassFiles() {}

  /**
   * {@code example.odd.StackLeft}, Java 17, whose methods each return with values left under the
   * returned one, as Kotlin, cglib, Javassist or JaCoCo may write them. Its static {@code calls}
   * counts the times a body ran.
   *
   * <pre>{@code
   * @Cached(key = "stack:{0}") String leftover(String id)   // "empty" for "", else id + "!"
   * @Cached(key = "stack:wide:{0}") long wide(long n)        // n + 1, with n left under it
   * @Invalidate(keys = "stack:{0}") void forget(String id)   // returns over a string
   * }</pre>
   */
  static byte[] stackLeft() {
    ClassWriter cw = writer();
    String name = "example/odd/StackLeft";
    begin(cw, name, Opcodes.V17);

    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "leftover",
        "(Ljava/lang/String;)Ljava/lang/String;", null, null);
    cached(mv, "stack:{0}");
    mv.visitCode();
    count(mv, name);
    mv.visitLdcInsn("junk");
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "isEmpty", "()Z", false);
    Label notEmpty = new Label();
    mv.visitJumpInsn(Opcodes.IFEQ, notEmpty);
    mv.visitLdcInsn("empty");
    mv.visitInsn(Opcodes.ARETURN); // "junk" stays under it
    mv.visitLabel(notEmpty);
    mv.visitIntInsn(Opcodes.BIPUSH, 7);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitLdcInsn("!");
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "concat",
        "(Ljava/lang/String;)Ljava/lang/String;", false);
    mv.visitInsn(Opcodes.ARETURN); // "junk" and 7 stay under it
    mv.visitMaxs(0, 0);
    mv.visitEnd();

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "wide", "(J)J", null, null);
    cached(mv, "stack:wide:{0}");
    mv.visitCode();
    count(mv, name);
    mv.visitVarInsn(Opcodes.LLOAD, 1);
    mv.visitInsn(Opcodes.DUP2);
    mv.visitInsn(Opcodes.LCONST_1);
    mv.visitInsn(Opcodes.LADD);
    mv.visitInsn(Opcodes.LRETURN); // n stays under n + 1
    mv.visitMaxs(0, 0);
    mv.visitEnd();

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "forget", "(Ljava/lang/String;)V", null, null);
    AnnotationVisitor invalidate = mv.visitAnnotation("Ldev/weft/annotation/Invalidate;", true);
    AnnotationVisitor keys = invalidate.visitArray("keys");
    keys.visit(null, "stack:{0}");
    keys.visitEnd();
    invalidate.visitEnd();
    mv.visitCode();
    count(mv, name);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitInsn(Opcodes.RETURN); // over the argument
    mv.visitMaxs(0, 0);
    mv.visitEnd();

    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * {@code example.odd.TooLarge}: one {@code @Cached} method whose code is just under the 64 KiB
   * a method may hold, so that nothing can be woven into it. It returns its argument.
   */
  static byte[] tooLarge() {
    ClassWriter cw = writer();
    begin(cw, "example/odd/TooLarge", Opcodes.V17);
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "big",
        "(Ljava/lang/String;)Ljava/lang/String;", null, null);
    cached(mv, "big:{0}");
    mv.visitCode();
    for (int i = 0; i < 65_500; i++) {
      mv.visitInsn(Opcodes.NOP);
    }
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * @param classFile a class file of Java 8 or older that uses nothing newer than {@code version}
   *     (no lambda, no {@code invokedynamic})
   * @param version the class file version to give it, 50 or older
   * @return the same class without stack map frames, as compilers wrote them before Java 7
   */
  static byte[] withoutFrames(byte[] classFile, int version) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public void visit(int ignored, int access, String name, String signature, String superName,
          String[] interfaces) {
        super.visit(version, access, name, signature, superName, interfaces);
      }
    }, ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }

  /** @return whether {@code classFile} has a {@code StackMapTable} attribute anywhere */
  static boolean hasFrames(byte[] classFile) {
    return WeftTransformer.contains(classFile, "StackMapTable".getBytes());
  }

  /** @return the ways the code of {@code classFile} loads a plan */
  static Set<PlanLoad> planLoads(byte[] classFile) {
    Set<PlanLoad> found = EnumSet.noneOf(PlanLoad.class);
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(
          int access, String name, String descriptor, String signature, String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitLdcInsn(Object value) {
            if (value instanceof ConstantDynamic constant
                && constant.getBootstrapMethod().getOwner().equals("dev/weft/weaving/Woven")) {
              found.add(PlanLoad.DYNAMIC_CONSTANT);
            }
          }

          @Override
          public void visitInvokeDynamicInsn(String name, String descriptor,
              Handle bootstrap, Object... arguments) {
            if (bootstrap.getOwner().equals("dev/weft/weaving/Woven")) {
              found.add(PlanLoad.CALL_SITE);
            }
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
              boolean isInterface) {
            if (owner.equals("dev/weft/weaving/Woven") && name.equals("plan")) {
              found.add(PlanLoad.LOOK_UP_PER_CALL);
            }
          }
        };
      }
    }, 0);
    return found;
  }

  private static ClassWriter writer() {
    return new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
      @Override
      protected String getCommonSuperClass(String type1, String type2) {
        return "java/lang/Object";
      }
    };
  }

  /** A public class with a public no-argument constructor and a counter {@code calls}. */
  private static void begin(ClassWriter cw, String name, int version) {
    cw.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
    cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "calls", "I", null, null).visitEnd();
    MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
  }

  private static void cached(MethodVisitor mv, String key) {
    AnnotationVisitor cached = mv.visitAnnotation("Ldev/weft/annotation/Cached;", true);
    cached.visit("key", key);
    cached.visit("ttl", "1m");
    cached.visitEnd();
  }

  private static void count(MethodVisitor mv, String owner) {
    mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "calls", "I");
    mv.visitInsn(Opcodes.ICONST_1);
    mv.visitInsn(Opcodes.IADD);
    mv.visitFieldInsn(Opcodes.PUTSTATIC, owner, "calls", "I");
  }
}
