package dev.weft.bench;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

/**
 * The run's Redis URL taken apart, for the peers that are configured field by field.
 *
 * @param host the server's host, not {@code null}
 * @param port the server's port
 * @param database the database index
 * @param ssl whether to use TLS
 * @param username the ACL user, {@code null} for none
 * @param password the password, {@code null} for none
 */
record RedisAddress(
    String host, int port, int database, boolean ssl, String username, char[] password) {

  /**
   * @param url a Redis URL, Lettuce syntax, standalone
   * @return its parts
   */
  static RedisAddress parse(String url) {
    RedisURI uri = RedisURI.create(url);
    RedisCredentials credentials =
        uri.getCredentialsProvider() == null
            ? null
            : uri.getCredentialsProvider().resolveCredentials().block();
    return new RedisAddress(
        uri.getHost(),
        uri.getPort(),
        uri.getDatabase(),
        uri.isSsl(),
        credentials != null && credentials.hasUsername() ? credentials.getUsername() : null,
        credentials != null && credentials.hasPassword() ? credentials.getPassword() : null);
  }

  /**
   * @param url a Redis URL, Lettuce syntax, standalone
   * @return Redisson's default single-server configuration for that server
   */
  static Config redisson(String url) {
    RedisAddress address = parse(url);
    Config config = new Config();
    SingleServerConfig server =
        config
            .useSingleServer()
            .setAddress(
                (address.ssl() ? "rediss://" : "redis://") + address.host() + ":" + address.port())
            .setDatabase(address.database())
            .setUsername(address.username());
    if (address.password() != null) {
      server.setPassword(new String(address.password()));
    }
    return config;
  }
}
