package dev.sfstream.emulator.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * The Pub/Sub server's TLS certificate: self-signed, for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, made
 * once per JVM by the JDK's own {@code keytool -genkeypair} (an EC P-256 key) into a temporary PKCS#12 keystore that
 * is read and deleted at once. The JDK has no public API that makes a certificate; keytool ships with every JDK, so
 * this needs no new dependency and no hand-written X.509 encoding.
 */
final class SelfSignedCertificate {
    private static SelfSignedCertificate instance; // guarded by the class

    private final KeyManagerFactory keyManagers;
    private final String pem;

    private SelfSignedCertificate(KeyManagerFactory keyManagers, String pem) {
        this.keyManagers = keyManagers;
        this.pem = pem;
    }

    /**
     * The JVM's certificate, made on first use (about a second).
     *
     * @throws IllegalStateException when keytool is missing (a JRE without it) or fails: use plaintext then
     */
    static synchronized SelfSignedCertificate get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    KeyManagerFactory keyManagers() {
        return keyManagers;
    }

    /** The certificate in PEM, for clients that trust it instead of turning certificate checks off. */
    String pem() {
        return pem;
    }

    private static SelfSignedCertificate generate() {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("sfstream-pubsub-tls");
            Path store = dir.resolve("emulator.p12");
            ProcessBuilder builder = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias",
                    "sfstream-emulator", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-validity", "3650", "-dname", "CN=localhost, O=sfstream emulator", "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1", "-keystore", store.toString(),
                    "-storetype", "PKCS12", "-storepass:env", "SFSTREAM_STOREPASS", "-keypass:env",
                    "SFSTREAM_STOREPASS", "-noprompt"))
                    .redirectErrorStream(true);
            builder.environment().put("SFSTREAM_STOREPASS", password);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make the Pub/Sub server's certificate: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, password.toCharArray());
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, password.toCharArray());
            Certificate certificate = keyStore.getCertificate("sfstream-emulator");
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new SelfSignedCertificate(factory, pem);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the Pub/Sub server's certificate could not be made with " + keytool
                    + " (" + e.getMessage() + "); start it in plaintext instead", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the Pub/Sub server's certificate", e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary directory left behind holds a throwaway key only
                }
            }
        }
    }
}
