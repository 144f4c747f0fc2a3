package io.kelvin.deploy;

import ai.onnxruntime.OrtEnvironment;
import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.security.sasl.Sasl;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Run by {@link RuntimeImageIntegrationTest} on the image's jlink'd runtime: touches, one line
 * each, what Kelvin reaches only at run time (native libraries, security providers found by
 * name, the JDK's HTTP server), so a module missing from the runtime fails here and not in a
 * cluster. Prints the files the natives were extracted to under {@code java.io.tmpdir}.
 */
public final class RuntimeImageProbe {

    public static void main(String[] args) throws Exception {
        // Kafka Streams' persistent stores: the JNI library is extracted to java.io.tmpdir.
        RocksDB.loadLibrary();
        Path db = Files.createTempDirectory("probe-rocksdb");
        try (Options options = new Options().setCreateIfMissing(true); RocksDB rocks = RocksDB.open(options, db.toString())) {
            rocks.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
            System.out.println("rocksdb ok " + new String(rocks.get("k".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        }
        // ONNX Runtime: its native libraries are extracted to java.io.tmpdir too.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.println("onnxruntime ok " + env.getAvailableProviders());
        // TLS to brokers and the registry: ECDHE and ECDSA come from SunEC (jdk.crypto.ec).
        KeyPairGenerator.getInstance("EC").generateKeyPair();
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, null, null);
        boolean ecdhe = Arrays.stream(tls.getDefaultSSLParameters().getCipherSuites()).anyMatch(s -> s.contains("ECDHE"));
        System.out.println("tls ok ecdhe=" + ecdhe);
        // SASL: GSSAPI (java.security.jgss) and the Kerberos login module a sasl.jaas.config names.
        boolean gssapi = Collections.list(Sasl.getSaslClientFactories()).stream()
                .flatMap(f -> Stream.of(f.getMechanismNames(null)))
                .anyMatch("GSSAPI"::equals);
        Class.forName("com.sun.security.auth.module.Krb5LoginModule");
        System.out.println("sasl ok gssapi=" + gssapi);
        // The metrics and health endpoints (com.sun.net.httpserver, jdk.httpserver).
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        server.stop(0);
        System.out.println("httpserver ok");
        // Process metrics (jdk.management).
        com.sun.management.OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        System.out.println("management ok memory=" + (os.getTotalMemorySize() > 0));
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty("java.io.tmpdir")))) {
            files.filter(Files::isRegularFile).forEach(f -> System.out.println("tmp " + f.getFileName()));
        }
    }

    private RuntimeImageProbe() {}
}
