/**
 * The Weft annotations, {@code LockContext} and the public exceptions. Depends on nothing but the
 * JDK, so an application run under the Weft agent compiles against this module alone.
 *
 * <p>{@code dev.weft.annotation.spi} is where the Weft runtime records the locks a thread holds
 * for {@code LockContext}; it is exported to the runtime only and is not API.
 */
module dev.weft.annotations {
  exports dev.weft.annotation;
  exports dev.weft.exception;
  exports dev.weft.annotation.spi to dev.weft.core;
}
