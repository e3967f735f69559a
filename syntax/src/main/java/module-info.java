/**
 * Weft's syntax: the text the annotations take, read the same way by the runtime and the
 * annotation processor. Exported only to them; applications use the annotations and the runtime.
 */
// The two modules depend on this one, so they are never on its module path and javac would warn
// "module not found" for each.
@SuppressWarnings("module")
module dev.weft.syntax {
  exports dev.weft.syntax to
      dev.weft.core,
      dev.weft.processor;
}
