/**
 * The Weft annotation processor, {@link dev.weft.processor.WeftProcessor}: compile-time checks of
 * the Weft annotations and the parameter-name metadata the runtime reads. Put {@code
 * weft-processor} on the annotation processor path; nothing in this package is called by user code.
 */
package dev.weft.processor;
