package dev.weft.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Attribute;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.TypePath;

/**
 * Puts back the parameter names that a retransformation lost. Up to Java 18 the class file the
 * JVM rebuilds from a loaded class for retransformation lacks the {@code MethodParameters}
 * attribute (JDK-8240908), so names compiled in with {@code javac -parameters}, which key
 * templates such as {@code {id}} use, would be gone from the woven class. They are copied from the
 * class file as compiled, for every method whose rebuilt form has none, in a pass of ByteBuddy's
 * ASM before ByteBuddy weaves; it runs only for classes loaded before the agent was attached.
 */
final class RestoredParameters {

  private static final int API = Opcodes.ASM9;

  private RestoredParameters() {}

  /**
   * @param classFile the class file the JVM rebuilt, not {@code null}; not modified
   * @param compiled the class file as compiled, or {@code null} if unknown
   * @return {@code classFile} with the parameters restored, or itself if none are missing
   */
  static byte[] restore(byte[] classFile, byte[] compiled) {
    if (compiled == null) {
      return classFile;
    }
    Map<String, List<Parameter>> names = parameterNames(compiled);
    if (names.isEmpty()) {
      return classFile;
    }
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new ClassVisitor(API, writer) {
      @Override
      public MethodVisitor visitMethod(
          int access, String name, String descriptor, String signature, String[] exceptions) {
        MethodVisitor copy = super.visitMethod(access, name, descriptor, signature, exceptions);
        List<Parameter> parameters = names.get(name + descriptor);
        return parameters == null ? copy : new Restoring(copy, parameters);
      }
    }, 0);
    return writer.toByteArray();
  }

  /** A {@code MethodParameters} entry. */
  private record Parameter(String name, int access) {}

  /** @return each method's {@code MethodParameters} entries, by name and descriptor */
  private static Map<String, List<Parameter>> parameterNames(byte[] classFile) {
    Map<String, List<Parameter>> byMethod = new HashMap<>();
    new ClassReader(classFile).accept(new ClassVisitor(API) {
      @Override
      public MethodVisitor visitMethod(
          int access, String name, String descriptor, String signature, String[] exceptions) {
        List<Parameter> parameters = new ArrayList<>();
        byMethod.put(name + descriptor, parameters);
        return new MethodVisitor(API) {
          @Override
          public void visitParameter(String parameter, int parameterAccess) {
            parameters.add(new Parameter(parameter, parameterAccess));
          }
        };
      }
    }, ClassReader.SKIP_CODE);
    byMethod.values().removeIf(List::isEmpty);
    return byMethod;
  }

  /**
   * Writes a method's {@code MethodParameters} from the compiled class file unless the method
   * brings its own. They come first in a method, so they are written at the first visit of
   * anything else.
   */
  private static final class Restoring extends MethodVisitor {
    private List<Parameter> missing;

    Restoring(MethodVisitor next, List<Parameter> parameters) {
      super(API, next);
      this.missing = parameters;
    }

    private void restore() {
      if (missing != null) {
        for (Parameter parameter : missing) {
          super.visitParameter(parameter.name(), parameter.access());
        }
        missing = null;
      }
    }

    @Override
    public void visitParameter(String name, int access) {
      missing = null; // the method has its own
      super.visitParameter(name, access);
    }

    @Override
    public AnnotationVisitor visitAnnotationDefault() {
      restore();
      return super.visitAnnotationDefault();
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      restore();
      return super.visitAnnotation(descriptor, visible);
    }

    @Override
    public AnnotationVisitor visitTypeAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      restore();
      return super.visitTypeAnnotation(typeRef, typePath, descriptor, visible);
    }

    @Override
    public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
      restore();
      super.visitAnnotableParameterCount(parameterCount, visible);
    }

    @Override
    public AnnotationVisitor visitParameterAnnotation(
        int parameter, String descriptor, boolean visible) {
      restore();
      return super.visitParameterAnnotation(parameter, descriptor, visible);
    }

    @Override
    public void visitAttribute(Attribute attribute) {
      restore();
      super.visitAttribute(attribute);
    }

    @Override
    public void visitCode() {
      restore();
      super.visitCode();
    }

    @Override
    public void visitEnd() {
      restore();
      super.visitEnd();
    }
  }
}
