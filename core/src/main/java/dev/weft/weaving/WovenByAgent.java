package dev.weft.weaving;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put by the Weft agent on every method it weaves, so that a framework that would otherwise apply
 * Weft's annotations itself (the Spring Boot starter's proxies) can tell, by reflection, that the
 * method runs its plan already. The agent changes no class's shape (no member is added, so a
 * loaded class can be retransformed): an annotation is an attribute of the method, which
 * retransformation may change. ajc leaves signs of its own (its {@code <method>_aroundBody<n>}
 * methods) and needs none.
 *
 * <p>Not for applications: putting it on a method by hand turns the starter's proxy off for it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WovenByAgent {}
