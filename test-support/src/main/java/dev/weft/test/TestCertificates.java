package dev.weft.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/*
 * Why certificates are made at run time rather than checked in: a checked-in key expires (and a
 * test that starts failing on a date is worse than none), and a private key in a repository gets
 * copied into places it should not be. P-256 keys take a millisecond each, so a fresh CA per test
 * class costs nothing. BouncyCastle builds the certificates (the JDK has no public API for it);
 * everything else is the JDK's own: PEM is base64 of the DER encodings (the key as PKCS#8, which
 * both OpenSSL and Netty read), the stores are PKCS#12.
 */
/**
 * A throw-away certificate authority with one server and one client certificate, written as PEM
 * files and PKCS#12 stores into a directory, for TLS tests against a local Redis.
 *
 * <p>The server certificate names {@code localhost} and {@code 127.0.0.1} (as DNS and IP subject
 * alternative names) unless other names are asked for, so a client that verifies host names
 * accepts it for either. Both leaf
 * certificates are signed by the CA and valid from an hour ago for a day.
 */
public final class TestCertificates {

  private static final String KEY_ALGORITHM = "EC";
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private final Path directory;
  private final Path caCertificate;
  private final Path serverCertificate;
  private final Path serverKey;
  private final Path clientCertificate;
  private final Path clientKey;
  private final Path trustStore;
  private final Path clientKeyStore;
  private final String trustStorePassword;
  private final String clientKeyStorePassword;
  private final KeyStore trust;
  private final KeyStore clientKeys;

  /** The names the server certificate carries unless others are asked for. */
  public static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1");

  private TestCertificates(Path directory, List<String> serverNames)
      throws GeneralSecurityException, IOException {
    this.directory = directory;
    SecureRandom random = new SecureRandom();
    this.trustStorePassword = "trust-" + randomHex(random);
    this.clientKeyStorePassword = "keys-" + randomHex(random);

    KeyPair caKeys = newKeyPair();
    X500Name caName = new X500Name("CN=Weft Test CA");
    X509Certificate ca = sign(caName, caKeys.getPublic(), caName, caKeys.getPrivate(), true, null);

    KeyPair serverPair = newKeyPair();
    X509Certificate server =
        sign(
            new X500Name("CN=" + serverNames.get(0)), serverPair.getPublic(), caName,
            caKeys.getPrivate(), false,
            new GeneralNames(
                serverNames.stream()
                    .map(
                        name ->
                            new GeneralName(
                                IP_ADDRESS.matcher(name).matches()
                                    ? GeneralName.iPAddress
                                    : GeneralName.dNSName,
                                name))
                    .toArray(GeneralName[]::new)));

    KeyPair clientPair = newKeyPair();
    X509Certificate client =
        sign(
            new X500Name("CN=weft-test-client"), clientPair.getPublic(), caName,
            caKeys.getPrivate(), false, null);

    this.caCertificate = writePem(directory.resolve("ca.crt"), "CERTIFICATE", ca.getEncoded());
    this.serverCertificate =
        writePem(directory.resolve("server.crt"), "CERTIFICATE", server.getEncoded());
    this.serverKey =
        writePem(directory.resolve("server.key"), "PRIVATE KEY", serverPair.getPrivate().getEncoded());
    this.clientCertificate =
        writePem(directory.resolve("client.crt"), "CERTIFICATE", client.getEncoded());
    this.clientKey =
        writePem(directory.resolve("client.key"), "PRIVATE KEY", clientPair.getPrivate().getEncoded());

    this.trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("weft-test-ca", ca);
    this.trustStore = store(trust, directory.resolve("truststore.p12"), trustStorePassword);

    this.clientKeys = KeyStore.getInstance("PKCS12");
    clientKeys.load(null, null);
    clientKeys.setKeyEntry(
        "weft-test-client", clientPair.getPrivate(), clientKeyStorePassword.toCharArray(),
        new Certificate[] {client, ca});
    this.clientKeyStore =
        store(clientKeys, directory.resolve("client-keystore.p12"), clientKeyStorePassword);
  }

  /**
   * Makes a new CA and its certificates in {@code directory}.
   *
   * @param directory an existing, writable directory, not {@code null}
   * @return the certificates, never {@code null}
   * @throws IllegalStateException if the JDK cannot make EC keys or PKCS#12 stores
   */
  public static TestCertificates create(Path directory) {
    return create(directory, LOOPBACK_NAMES);
  }

  /**
   * Makes a new CA and its certificates in {@code directory}, the server certificate for other
   * names than {@link #LOOPBACK_NAMES} (to test host name verification).
   *
   * @param directory an existing, writable directory, not {@code null}
   * @param serverNames host names and IPv4 addresses for the server certificate, not empty
   * @return the certificates, never {@code null}
   */
  public static TestCertificates create(Path directory, List<String> serverNames) {
    if (serverNames.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    try {
      return new TestCertificates(directory, List.copyOf(serverNames));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make test certificates: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write test certificates to " + directory, e);
    }
  }

  /** @return the directory the files are in */
  public Path directory() {
    return directory;
  }

  /** @return the CA certificate, PEM */
  public Path caCertificate() {
    return caCertificate;
  }

  /** @return the server's certificate, PEM, signed by the CA, for localhost and 127.0.0.1 */
  public Path serverCertificate() {
    return serverCertificate;
  }

  /** @return the server's private key, PEM (PKCS#8, unencrypted) */
  public Path serverKey() {
    return serverKey;
  }

  /** @return the client's certificate, PEM, signed by the CA */
  public Path clientCertificate() {
    return clientCertificate;
  }

  /** @return the client's private key, PEM (PKCS#8, unencrypted) */
  public Path clientKey() {
    return clientKey;
  }

  /** @return a PKCS#12 trust store holding the CA certificate */
  public Path trustStore() {
    return trustStore;
  }

  /** @return the password of {@link #trustStore()} */
  public String trustStorePassword() {
    return trustStorePassword;
  }

  /** @return a PKCS#12 key store holding the client's key and certificate chain */
  public Path clientKeyStore() {
    return clientKeyStore;
  }

  /** @return the password of {@link #clientKeyStore()} and of the key in it */
  public String clientKeyStorePassword() {
    return clientKeyStorePassword;
  }

  /**
   * @return a TLS context that trusts the CA and presents the client certificate, for control
   *     connections of the harness; it does not check host names
   */
  public SSLContext clientContext() {
    try {
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(clientKeys, clientKeyStorePassword.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  private static String randomHex(SecureRandom random) {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(KEY_ALGORITHM);
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(
      X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey, boolean ca,
      GeneralNames alternativeNames) throws GeneralSecurityException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
            subject, key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (ca) {
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(
          Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      builder.addExtension(
          Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    }
    if (alternativeNames != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
    }
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + SIGNATURE, e);
    }
  }

  private static Path writePem(Path file, String type, byte[] der) throws IOException {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    return file;
  }

  private static Path store(KeyStore store, Path file, String password)
      throws GeneralSecurityException, IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  @Override
  public String toString() {
    return "TestCertificates[" + directory + "]";
  }
}
