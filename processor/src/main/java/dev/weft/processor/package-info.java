/**
 * The Weft annotation processor, {@link dev.weft.processor.WeftProcessor}: compile-time checks of
 * the Weft annotations, the parameter-name metadata the runtime reads and the woven-classes index
 * the agent reads. Put {@code weft-processor} on the annotation processor path; nothing in this
 * package is called by user code.
 */
package dev.weft.processor;
