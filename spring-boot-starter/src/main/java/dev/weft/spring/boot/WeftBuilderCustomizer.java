package dev.weft.spring.boot;

import dev.weft.Weft;

/**
 * Changes the {@link Weft.Builder} of the context's runtime after the starter has applied {@code
 * spring.data.redis.*} and {@code weft.*}, for what properties cannot say: a credentials supplier
 * that reads a vault, a codec of the application's own. Every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order @Order}.
 *
 * <pre>{@code
 * @Bean
 * WeftBuilderCustomizer vaultCredentials(Vault vault) {
 *   return builder -> builder.credentials(() -> new Weft.Credentials("app", vault.read("redis/app")));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface WeftBuilderCustomizer {

  /** @param builder the runtime's builder, with the properties applied */
  void customize(Weft.Builder builder);
}
