package dev.weft.spring.boot.jackson;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Whether Weft's values go through the application's Jackson mapper, under {@code weft.jackson.*}. */
@ConfigurationProperties(prefix = "weft.jackson")
public class WeftJacksonProperties {

  /**
   * Whether the Weft runtime writes and reads values with the application's Jackson mapper (its
   * modules and {@code spring.jackson.*} settings), rather than with Weft's own JSON.
   */
  private boolean enabled = true;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }
}
