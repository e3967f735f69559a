/**
 * The text the Weft annotations take: key templates ({@link dev.weft.syntax.TemplateSyntax}),
 * durations ({@link dev.weft.syntax.DurationSyntax}), references to configuration properties
 * ({@link dev.weft.syntax.PropertyReference}) and counter names ({@link
 * dev.weft.syntax.NameSyntax}).
 *
 * <h2>Design</h2>
 *
 * <p><b>One reading of the annotations' text.</b> weft-core parses these strings when it builds a
 * method's plan, and weft-processor checks them when the application is compiled. Both call this
 * package, so the compiler rejects exactly what the runtime would reject, with the same message,
 * and a rule changed here changes in both.
 *
 * <p><b>Nothing but the JDK.</b> The processor runs inside javac, on the annotation processor
 * path: it must not bring the runtime's libraries (Lettuce, Jackson, Netty) with it, nor depend on
 * the runtime's internals. This package therefore depends on nothing, and the runtime's notions
 * (what a key renders to, where a property's value comes from) stay in weft-core; only the
 * grammar and its messages are here.
 *
 * <p>Not an API for applications: the module exports this package only to weft-core and
 * weft-processor.
 */
package dev.weft.syntax;
