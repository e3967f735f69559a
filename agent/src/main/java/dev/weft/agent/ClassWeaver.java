package dev.weft.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.TypePath;

/**
 * Weaves the Weft-annotated methods of one class file: each gets {@link WovenMethod}'s calls to
 * weft-core's {@code MethodPlan} around its body, in place.
 *
 * <h2>Design</h2>
 *
 * Two passes over the class file with ASM. The first reads which methods carry a Weft annotation
 * and how many local variable slots each uses; a class with none is returned as {@code null}
 * (unchanged) without being written. The second copies the class, rewriting only those methods;
 * every other method is copied as bytes, unparsed. The first pass is what makes the second
 * simple: knowing a method's locals before its code is read, the woven code keeps its two
 * variables in the slots right after them, so the body's own instructions stay as they are.
 *
 * <p>The class keeps its shape: no method, field or attribute is added, so a class already
 * loaded can be woven by retransformation too (the JVM allows changing method bodies only).
 * Frames are written, not computed: computing them needs the common super class of two types,
 * which means loading classes in the middle of loading a class.
 *
 * <p>Concrete, non-synthetic methods are woven; constructors and class initializers never. Class
 * files older than Java 7 (version 51) are left alone: they predate the stack map frames the
 * woven code is written with.
 */
final class ClassWeaver {

  /** The annotations that make a method woven, as type descriptors. */
  static final Set<String> WOVEN_ANNOTATIONS =
      Set.of(
          "Ldev/weft/annotation/Cached;",
          "Ldev/weft/annotation/CachedBulk;",
          "Ldev/weft/annotation/WriteThrough;",
          "Ldev/weft/annotation/Invalidate;",
          "Ldev/weft/annotation/Invalidate$List;",
          "Ldev/weft/annotation/RateLimited;",
          "Ldev/weft/annotation/RateLimited$List;",
          "Ldev/weft/annotation/DistributedLock;",
          "Ldev/weft/annotation/Counted;",
          "Ldev/weft/annotation/Counted$List;");

  private static final int OLDEST_VERSION = Opcodes.V1_7;

  private ClassWeaver() {}

  /**
   * @param classFile a class file, not {@code null}; not modified
   * @return the woven class file, or {@code null} if no method of the class is woven
   * @throws RuntimeException if the class file cannot be read or written (ASM's exceptions: a
   *     malformed file, or one newer than ASM knows)
   */
  static byte[] weave(byte[] classFile) {
    return weave(classFile, null);
  }

  /**
   * Weaves a class file that the JVM rebuilt from a loaded class for retransformation. Up to Java
   * 18 such a file lacks the {@code MethodParameters} attribute (JDK-8240908), so parameter names
   * compiled in with {@code javac -parameters}, which key templates such as {@code {id}} use,
   * would be lost with it; they are copied back from {@code compiled}, the class file as
   * compiled, for every method whose rebuilt form has none.
   *
   * @param classFile the class file to weave, not {@code null}; not modified
   * @param compiled the class file as compiled, or {@code null} if unknown
   * @return the woven class file, or {@code null} if no method of the class is woven
   */
  static byte[] weave(byte[] classFile, byte[] compiled) {
    ClassReader reader = new ClassReader(classFile);
    Scan scan = new Scan();
    reader.accept(scan, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if (scan.methods.isEmpty() || scan.version < OLDEST_VERSION) {
      return null;
    }
    Map<String, List<Parameter>> names = compiled == null ? Map.of() : parameterNames(compiled);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(new Weave(writer, scan, names), ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** A {@code MethodParameters} entry. */
  private record Parameter(String name, int access) {}

  /** @return each method's {@code MethodParameters} entries, by name and descriptor */
  private static Map<String, List<Parameter>> parameterNames(byte[] classFile) {
    Map<String, List<Parameter>> byMethod = new HashMap<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(
          int access, String name, String descriptor, String signature, String[] exceptions) {
        List<Parameter> parameters = new ArrayList<>();
        byMethod.put(name + descriptor, parameters);
        return new MethodVisitor(Opcodes.ASM9) {
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

  /** The first pass: which methods are woven and how many local slots each uses. */
  private static final class Scan extends ClassVisitor {
    int version;
    /** Woven methods by name and descriptor, to their local slot count. */
    final Map<String, Integer> methods = new HashMap<>();

    Scan() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      this.version = version & 0xFFFF; // the minor version lives in the upper half
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC)) != 0
          || name.charAt(0) == '<') {
        return null;
      }
      return new MethodVisitor(Opcodes.ASM9) {
        private boolean woven;

        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          woven |= visible && WOVEN_ANNOTATIONS.contains(annotation);
          return null;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
          if (woven) {
            methods.put(name + descriptor, maxLocals);
          }
        }
      };
    }
  }

  /** The second pass: copies the class, weaving the methods the scan found. */
  private static final class Weave extends ClassVisitor {
    private final Scan scan;
    private final Map<String, List<Parameter>> names;
    private String owner;

    Weave(ClassWriter writer, Scan scan, Map<String, List<Parameter>> names) {
      super(Opcodes.ASM9, writer);
      this.scan = scan;
      this.names = names;
    }

    @Override
    public void visit(
        int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      owner = name;
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor copy = super.visitMethod(access, name, descriptor, signature, exceptions);
      List<Parameter> parameters = names.get(name + descriptor);
      if (parameters != null) {
        copy = new RestoredParameters(copy, parameters);
      }
      Integer locals = scan.methods.get(name + descriptor);
      if (locals == null) {
        return copy;
      }
      return new WovenMethod(copy, owner, scan.version, access, name, descriptor, locals);
    }
  }

  /**
   * Writes a method's {@code MethodParameters} from the compiled class file unless the method
   * brings its own. They come first in a method, so they are written at the first visit of
   * anything else.
   */
  private static final class RestoredParameters extends MethodVisitor {
    private List<Parameter> missing;

    RestoredParameters(MethodVisitor next, List<Parameter> parameters) {
      super(Opcodes.ASM9, next);
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
