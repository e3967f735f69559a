package dev.weft.bench;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;

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
}
