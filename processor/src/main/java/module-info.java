/**
 * Weft's annotation processor: checks every Weft annotation at compile time and writes the
 * parameter names and the list of woven classes the runtime and the agent read. It reads the
 * annotations and the shared syntax only, never the runtime.
 */
module dev.weft.processor {
  requires java.compiler;
  requires jdk.compiler;
  requires dev.weft.annotations;
  requires dev.weft.syntax;

  provides javax.annotation.processing.Processor with
      dev.weft.processor.WeftProcessor;
}
