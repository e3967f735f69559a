package dev.weft.internal.redis;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Says what to change when a TLS connection to Redis fails: the JDK's words ("unable to find valid
 * certification path", "Received fatal alert: certificate_required") are accurate but do not name
 * Weft's settings. Messages name files and settings, never passwords.
 */
final class TlsFailures {

  private TlsFailures() {}

  /**
   * @param failure a failed connect or command, not {@code null}
   * @return {@code "; "} and the fix when the failure is one of the TLS mistakes this class knows,
   *     else {@code ""}
   */
  static String hint(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof CertPathBuilderException
          || message.contains("unable to find valid certification path")
          || message.contains("PKIX path")) {
        return "; the server's certificate is not trusted: give Weft the CA that signed it with "
            + ConnectionOptions.TRUSTSTORE_ENV + " or -D" + ConnectionOptions.TRUSTSTORE_PROPERTY
            + " (a PEM file, or a JKS or PKCS#12 store with " + ConnectionOptions.TRUSTSTORE_PASSWORD_ENV
            + "), or Weft.builder().trustStore(...)";
      }
      if (t instanceof CertificateException
          && (message.contains("No subject alternative") || message.contains("No name matching"))) {
        return "; the server's certificate does not carry the host name of the URL: connect by a"
            + " name or address the certificate lists, or add this one to its subject alternative"
            + " names";
      }
      if (t instanceof SSLException
          && (message.contains("certificate_required") || message.contains("bad_certificate"))) {
        return "; the server requires a client certificate (tls-auth-clients): give one with "
            + ConnectionOptions.KEYSTORE_ENV + " (JKS or PKCS#12, with "
            + ConnectionOptions.KEYSTORE_PASSWORD_ENV + ") or " + ConnectionOptions.CLIENT_CERT_ENV
            + " and " + ConnectionOptions.CLIENT_KEY_ENV
            + " (PEM), or Weft.builder().keyStore(...) or .clientCertificate(...)";
      }
      if (t instanceof SSLException && message.contains("unknown_ca")) {
        return "; the server does not trust the client certificate: it must be signed by a CA in"
            + " the server's tls-ca-cert-file";
      }
      if (t instanceof SSLException && message.contains("not an SSL/TLS record")) {
        return "; the server does not speak TLS on this port: use redis:// or its tls-port";
      }
    }
    return "";
  }
}
