package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test, written as PEM files the server and client read: a CA, a server
 * certificate for localhost and 127.0.0.1, and client certificates with a principal as their CN.
 */
final class TestCertificates {
  private final String name;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private long serial = 1;

  private TestCertificates(String name) throws Exception {
    this.name = name;
    this.caKeys = keyPair();
    X509v3CertificateBuilder builder =
        builder(new X500Name("CN=" + name), new X500Name("CN=" + name), caKeys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(builder, caKeys);
  }

  /** A new certificate authority named {@code name}. */
  static TestCertificates authority(String name) throws Exception {
    return new TestCertificates(name);
  }

  /** The CA certificate, as PEM in {@code folder}. */
  Path caPem(Path folder) throws Exception {
    return write(folder.resolve(name + "-ca.pem"), "CERTIFICATE", ca.getEncoded());
  }

  /** A server certificate for localhost and 127.0.0.1: {@code [certificate, key]} PEM files. */
  Path[] server(Path folder) throws Exception {
    KeyPair keys = keyPair();
    X509v3CertificateBuilder builder =
        builder(new X500Name("CN=" + name), new X500Name("CN=localhost"), keys);
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return pair(folder, "server", sign(builder, caKeys), keys);
  }

  /** A client certificate whose subject is {@code CN=principal}. */
  Path[] client(Path folder, String principal) throws Exception {
    KeyPair keys = keyPair();
    X509v3CertificateBuilder builder =
        builder(new X500Name("CN=" + name), new X500Name("CN=" + principal), keys);
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return pair(folder, "client-" + principal, sign(builder, caKeys), keys);
  }

  private Path[] pair(Path folder, String role, X509Certificate certificate, KeyPair keys)
      throws Exception {
    return new Path[] {
      write(folder.resolve(name + "-" + role + ".pem"), "CERTIFICATE", certificate.getEncoded()),
      write(
          folder.resolve(name + "-" + role + ".key"),
          "PRIVATE KEY",
          keys.getPrivate().getEncoded()) // PKCS#8, as Netty reads it
    };
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(serial++),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static Path write(Path file, String type, byte[] der) throws Exception {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    Files.writeString(
        file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n", US_ASCII);
    return file;
  }
}
