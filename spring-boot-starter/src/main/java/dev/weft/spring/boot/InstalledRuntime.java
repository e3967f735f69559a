package dev.weft.spring.boot;

import dev.weft.Weft;
import org.springframework.beans.factory.DisposableBean;

/**
 * Makes the context's runtime the one woven methods use ({@link Weft#install}) while the context
 * is open, and gives the previous one back when it closes, before the runtime itself is closed.
 */
public final class InstalledRuntime implements DisposableBean {

  private final Weft weft;
  private final Weft previous;

  InstalledRuntime(Weft weft) {
    this.weft = weft;
    this.previous = Weft.install(weft);
  }

  /** @return the installed runtime */
  public Weft weft() {
    return weft;
  }

  @Override
  public void destroy() {
    if (previous != null) {
      Weft.install(previous);
    }
  }
}
