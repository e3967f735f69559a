package dev.weft.spring.boot;

import dev.weft.Weft;
import org.springframework.beans.factory.DisposableBean;

/**
 * Makes the context's runtime the one woven methods use ({@link Weft#install}) while the context
 * is open, and gives the previous one back when it closes, before the runtime itself is closed.
 * A context with several {@link Weft} beans installs its primary one, or none; woven methods
 * reach the others by their {@linkplain Weft.Builder#name names}.
 */
public final class InstalledRuntime implements DisposableBean {

  private final Weft weft;
  private final Weft previous;

  InstalledRuntime(Weft weft) {
    this.weft = weft;
    this.previous = weft == null ? null : Weft.install(weft);
  }

  /** @return the installed runtime, or {@code null} when the context has no single one */
  public Weft weft() {
    return weft;
  }

  @Override
  public void destroy() {
    if (previous != null && Weft.global() == weft) {
      Weft.install(previous);
    }
  }
}
