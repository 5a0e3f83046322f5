package dev.weft.protos.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Throw-away certificate authorities for TLS tests, generated at test time (no key is ever
 * committed). A CA signs leaf certificates valid for {@code localhost} and {@code 127.0.0.1}, which
 * serve as both server and client certificates (for mutual TLS).
 */
public final class TestCertificates {

  /** PEM files of one leaf: its certificate and its PKCS#8 private key. */
  public record Leaf(Path certificate, Path privateKey) {}

  private final String name;
  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final SecureRandom random;
  private long serial = 1;

  private TestCertificates(String name, Path dir, long seed) {
    this.name = name;
    this.dir = dir;
    // Seeded so a test's certificates are the same each run; the strength does not matter here.
    this.random = new SecureRandom();
    this.random.setSeed(seed);
    this.caKeys = keyPair(random);
    X500Name subject = new X500Name("CN=" + name + " test CA");
    try {
      this.caCert =
          sign(
              new JcaX509v3CertificateBuilder(
                      subject,
                      BigInteger.valueOf(serial++),
                      Date.from(Instant.now().minus(Duration.ofHours(1))),
                      Date.from(Instant.now().plus(Duration.ofDays(1))),
                      subject,
                      caKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new CA named {@code name} whose files go into {@code dir}. */
  public static TestCertificates authority(String name, Path dir, long seed) {
    return new TestCertificates(name, dir, seed);
  }

  /** The CA certificate as a PEM file: what a peer or client trusts. */
  public Path caCertificate() {
    return write(name + "-ca.pem", pem("CERTIFICATE", encoded(caCert)));
  }

  /** A leaf signed by this CA, for {@code localhost} / {@code 127.0.0.1}. */
  public Leaf leaf(String leafName) {
    KeyPair keys = keyPair(random);
    X509Certificate cert;
    try {
      cert =
          sign(
              new JcaX509v3CertificateBuilder(
                      caCert,
                      BigInteger.valueOf(serial++),
                      Date.from(Instant.now().minus(Duration.ofHours(1))),
                      Date.from(Instant.now().plus(Duration.ofDays(1))),
                      new X500Name("CN=" + leafName),
                      keys.getPublic())
                  .addExtension(
                      Extension.subjectAlternativeName,
                      false,
                      new GeneralNames(
                          new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                          })));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path certFile = write(name + "-" + leafName + ".pem", pem("CERTIFICATE", encoded(cert)));
    Path keyFile =
        write(
            name + "-" + leafName + ".key",
            pem("PRIVATE KEY", keys.getPrivate().getEncoded())); // PKCS#8
    return new Leaf(certFile, keyFile);
  }

  private X509Certificate sign(X509v3CertificateBuilder builder) {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static KeyPair keyPair(SecureRandom random) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), random);
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private Path write(String file, String text) {
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve(file), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
