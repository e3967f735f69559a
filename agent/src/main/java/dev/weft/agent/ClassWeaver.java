package dev.weft.agent;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.weft.annotation.WovenAnnotations;
import dev.weft.weaving.WovenByAgent;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberAttributeExtension;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Weaves the Weft-annotated methods of one class file with ByteBuddy: {@link WovenAdvice}
 * inlined into each, in place.
 *
 * <h2>Design</h2>
 *
 * ByteBuddy's {@code AgentBuilder}, made into a plain transformer ({@code makeRaw()}) that {@link
 * WeftTransformer} calls for the few classes its own checks could not rule out; ByteBuddy never
 * sees the others. Set up for weaving in place and for nothing else:
 *
 * <ul>
 *   <li><b>The class keeps its shape.</b> {@code disableClassFormatChanges()} and the {@code
 *       DECORATE} type strategy: only the advice's visitor runs over the class, no member,
 *       initializer or auxiliary type is added, so a class already loaded can be woven by
 *       retransformation too (the JVM allows changing method bodies only). The plan is a
 *       constant pool entry ({@link PlanConstant}), not a field.
 *   <li><b>No class loading.</b> The class is described from its bytes and annotation types from
 *       their class files, through a type pool ({@code POOL_ONLY}), never by loading a class in
 *       the middle of loading one; a super class or a parameter type is never looked at. Frames
 *       are ByteBuddy's: it translates the body's own and writes the advice's from their declared
 *       types, without computing a common super class; a class file older than Java 6 gets none.
 *   <li><b>Which methods.</b> Concrete, non-synthetic methods (so no bridge, which javac gives
 *       the annotations of the method it bridges to) carrying one of {@link WovenAnnotations};
 *       never constructors or class initializers.
 *   <li><b>Marked.</b> Each woven method gets {@link WovenByAgent}, a runtime-visible
 *       annotation (an attribute, which retransformation may add), so that the Spring Boot
 *       starter does not proxy a bean whose methods run their plans already.
 *   <li><b>Failures are thrown.</b> What ByteBuddy cannot weave it throws, and {@link
 *       WeftTransformer} logs and leaves the class as it is: ByteBuddy's output is complete or
 *       absent, never a class that fails verification later.
 * </ul>
 *
 * <p><b>Start-up.</b> Building this (ByteBuddy's {@code AgentBuilder}, the advice resolved from
 * its class file) and its first weave load and initialize about a thousand classes of ByteBuddy:
 * several hundred milliseconds of CPU. {@link WeaverStartup} does it on a thread of its own while
 * the application starts, with a {@linkplain #warmUp() weave of a class of the agent's own}.
 * ByteBuddy's Nexus, which injects a class into the system class loader to run the initializers
 * of the types ByteBuddy changes, is switched off through ByteBuddy's own system property before
 * any of ByteBuddy initializes: the agent never adds initializers, and the property's name is
 * relocated with ByteBuddy in the agent jar, so an application's own ByteBuddy does not read it.
 */
final class ClassWeaver {

  /** The methods woven. */
  private static final ElementMatcher.Junction<MethodDescription> WOVEN =
      isMethod()
          .and(not(isAbstract()))
          .and(not(isNative()))
          .and(not(isSynthetic()))
          // The constant, compiled in: loading WovenAnnotations here, on the weaver's thread while
          // it is built, would hand the class to the transformer that waits for this weaver.
          .and(isAnnotatedWith(namedOneOf(WovenAnnotations.BINARY_NAMES.split(","))));

  private final ClassFileTransformer transformer;

  /** Builds the weaver; call {@link #warmUp()} to load the rest of what weaving needs. */
  ClassWeaver() {
    if (System.getProperty(Nexus.PROPERTY) == null) {
      System.setProperty(Nexus.PROPERTY, "true");
    }
    AsmVisitorWrapper advice = Advice.withCustomMapping()
        .bind(PlanConstant.Bind.class, new PlanConstant.Binding())
        .to(WovenAdvice.class)
        .on(WOVEN);
    AsmVisitorWrapper marker = new MemberAttributeExtension.ForMethod()
        .annotateMethod(AnnotationDescription.Builder.ofType(WovenByAgent.class).build())
        .on(WOVEN);
    transformer = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(AgentBuilder.PoolStrategy.Default.FAST)
        .ignore(none())
        .type(declaresMethod(WOVEN))
        .transform((builder, type, loader, module, domain) -> builder.visit(advice).visit(marker))
        .makeRaw();
  }

  /**
   * @param loader the class's loader, which finds the class files of its annotations; not {@code
   *     null}
   * @param internalName the class's name, as in {@code com/acme/Users}
   * @param classBeingRedefined the class when it is retransformed, else {@code null}
   * @param domain its protection domain, or {@code null}
   * @param classFile its class file, not {@code null}; not modified
   * @param compiled when retransformed, the class file as compiled, to restore the parameter names
   *     the JVM dropped ({@link RestoredParameters}); else {@code null}
   * @return the woven class file, or {@code null} if no method of the class is woven
   * @throws IllegalStateException if ByteBuddy cannot weave the class
   */
  byte[] weave(
      ClassLoader loader, String internalName, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] classFile, byte[] compiled) {
    byte[] input = classBeingRedefined == null
        ? classFile
        : RestoredParameters.restore(classFile, compiled);
    try {
      return transformer.transform(loader, internalName, classBeingRedefined, domain, input);
    } catch (IllegalClassFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Weaves {@link WarmUp}, a class of the agent's own, and drops the result: loads and
   * initializes what weaving a class needs, so that the application's first woven class does not
   * pay for it.
   *
   * @return this weaver
   * @throws IllegalStateException if weaving fails
   */
  ClassWeaver warmUp() {
    ClassLoader loader = ClassWeaver.class.getClassLoader();
    String name = WarmUp.class.getName().replace('.', '/');
    byte[] classFile;
    try (InputStream in = loader.getResourceAsStream(name + ".class")) {
      classFile = in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the agent's own " + name, e);
    }
    if (weave(loader, name, null, null, classFile, null) == null) {
      throw new IllegalStateException("the weaver found nothing to weave in " + name);
    }
    return this;
  }
}
