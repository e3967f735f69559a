package dev.weft.agent;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the class-file transformer that inlines Weft's advice into annotated methods.
 *
 * <h2>Design</h2>
 *
 * The advice ({@link ValueAdvice}, {@link VoidAdvice}) is inlined into the method body, so the class keeps its shape
 * (no added methods or fields) and self-invocation, static and private methods are all covered.
 * Annotations are matched by name, so the agent never loads the application's annotation classes
 * itself. A class the agent fails to transform is logged and loads unchanged: a bug in Weft must
 * not stop an application from starting.
 *
 * <p>Matching by annotations means parsing a class file. Most classes are never parsed: those of
 * the JDK, of Weft and of the libraries named below are skipped by name, and {@link WovenIndex}
 * skips every class that the woven-classes index of its jar or folder does not list, from the
 * class's name alone. The advice is resolved once, when the first class is woven ({@link
 * Advices}), not for every class and not at start-up when nothing needs it; if resolving it
 * failed, each class would fail on its own, logged, as any other failure to transform.
 */
final class WeftTransformer {

  // The platform logger, not SLF4J: an application without an SLF4J provider must still see
  // that a class could not be woven.
  private static final System.Logger log = System.getLogger(WeftTransformer.class.getName());
  private static final String CACHED = "dev.weft.annotation.Cached";
  private static final String CACHED_BULK = "dev.weft.annotation.CachedBulk";
  private static final String WRITE_THROUGH = "dev.weft.annotation.WriteThrough";
  private static final String INVALIDATE = "dev.weft.annotation.Invalidate";
  private static final String INVALIDATE_LIST = "dev.weft.annotation.Invalidate$List";
  private static final String RATE_LIMITED = "dev.weft.annotation.RateLimited";
  private static final String RATE_LIMITED_LIST = "dev.weft.annotation.RateLimited$List";
  private static final String DISTRIBUTED_LOCK = "dev.weft.annotation.DistributedLock";

  /** The methods woven: concrete, not synthetic, carrying a Weft annotation. */
  private static final ElementMatcher.Junction<MethodDescription> WOVEN =
      isAnnotatedWith(
              named(CACHED)
                  .or(named(CACHED_BULK))
                  .or(named(WRITE_THROUGH))
                  .or(named(INVALIDATE))
                  .or(named(INVALIDATE_LIST))
                  .or(named(RATE_LIMITED))
                  .or(named(RATE_LIMITED_LIST))
                  .or(named(DISTRIBUTED_LOCK))
                  .or(named("dev.weft.annotation.Counted")).or(named("dev.weft.annotation.Counted$List")))
          .and(not(isAbstract()))
          .and(not(isSynthetic()));

  private WeftTransformer() {}

  static void install(Instrumentation instrumentation) {
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(new FailureListener())
        .ignore(
            nameStartsWith("dev.weft.agent.")
                .or(nameStartsWith("dev.weft.internal."))
                .or(nameStartsWith("dev.weft.weaving."))
                .or(nameStartsWith("java."))
                .or(nameStartsWith("jdk."))
                .or(nameStartsWith("sun."))
                .or(nameStartsWith("com.sun."))
                .or(nameStartsWith("io.netty."))
                .or(nameStartsWith("io.lettuce."))
                .or(nameStartsWith("reactor."))
                .or(nameStartsWith("com.fasterxml.jackson.")))
        .or(new WovenIndex())
        .type(declaresMethod(WOVEN))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(Advices.VALUE).visit(Advices.VOID))
        .installOn(instrumentation);
  }

  /** The advice, bound to the methods it applies to; resolved when this class initializes. */
  private static final class Advices {
    static final AsmVisitorWrapper VALUE =
        Advice.to(ValueAdvice.class).on(WOVEN.and(not(returns(void.class))));
    static final AsmVisitorWrapper VOID =
        Advice.to(VoidAdvice.class).on(WOVEN.and(returns(void.class)));
  }

  /** Logs classes that could not be transformed; they load unchanged. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      log.log(
          System.Logger.Level.WARNING,
          "Weft could not weave " + typeName + "; it runs without Weft's annotations",
          error);
    }

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      log.log(System.Logger.Level.DEBUG, "Weft wove {0}", type.getName());
    }
  }
}
