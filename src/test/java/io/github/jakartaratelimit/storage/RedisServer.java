package io.github.jakartaratelimit.storage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A {@code redis-server} child process on a free loopback port, with no persistence: the one on the PATH if there
 * is one, else the Linux x86-64 binary shipped in the {@code com.github.codemonstur:embedded-redis} test jar.
 */
public final class RedisServer {

    private static final String BUNDLED_BINARY = "/redis-server-6.2.6-v5-linux-amd64";

    private final Process process;
    private final Path dir;
    private final int port;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        return start(0);
    }

    /** Starts a server on {@code fixedPort}, or on a free port when it is 0. */
    public static RedisServer start(int fixedPort) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ratelimit-redis");
        Path binary = findBinary(dir);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = fixedPort != 0 ? fixedPort : freePort();
            Process process = new ProcessBuilder(binary.toString(),
                    "--port", Integer.toString(port),
                    "--bind", "127.0.0.1",
                    "--protected-mode", "yes",
                    "--save", "",
                    "--appendonly", "no",
                    "--daemonize", "no",
                    "--dir", dir.toString())
                    .redirectErrorStream(true)
                    .start();
            RedisServer server = new RedisServer(process, dir, port);
            try {
                server.awaitReady();
                return server;
            } catch (IOException e) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                last = e;
            }
        }
        throw last;
    }

    /** {@code redis-server} from the PATH, else the binary in the embedded-redis jar (Linux x86-64 only). */
    private static Path findBinary(Path dir) throws IOException {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                Path candidate = Path.of(entry.isEmpty() ? "." : entry, "redis-server");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "no redis-server on the PATH and no bundled one for " + os + "/" + arch);
        Path binary = dir.resolve("redis-server");
        try (InputStream in = RedisServer.class.getResourceAsStream(BUNDLED_BINARY)) {
            assumeTrue(in != null, "no redis-server on the PATH and " + BUNDLED_BINARY + " not on the classpath");
            Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
        }
        if (!binary.toFile().setExecutable(true, true)) {
            throw new IOException("cannot make " + binary + " executable");
        }
        return binary;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * Reads the server's output until it says it accepts connections (or ends), then checks with a PING.
     * The output is read by a thread of its own, which keeps draining it afterwards.
     */
    private void awaitReady() throws IOException, InterruptedException {
        StringBuffer output = new StringBuffer();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ended) {
                // the server stopped
            }
            ready.completeExceptionally(new IOException("redis-server stopped before it was ready"));
        }, "redis-output-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("redis-server on port " + port + " is not ready; its output: " + output, e);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = socket.getInputStream().readNBytes(7);
            if (!new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
                throw new IOException("redis-server on port " + port + " answered PING with " + new String(reply, StandardCharsets.US_ASCII));
            }
        }
    }

    public int port() {
        return port;
    }

    /** A Redisson YAML configuration for this server; each distinct name is a distinct client. */
    public URI clientConfig(String name) throws IOException {
        Path file = dir.resolve("redisson-" + name + ".yaml");
        Files.writeString(file, String.join("\n",
                "singleServerConfig:",
                "  address: \"redis://127.0.0.1:" + port + "\"",
                "  clientName: \"" + name + "\"",
                "  connectionMinimumIdleSize: 4",
                "  connectionPoolSize: 16",
                "  subscriptionConnectionMinimumIdleSize: 1",
                "threads: 4",
                "nettyThreads: 8",
                ""));
        return file.toUri();
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind
            }
        }
    }
}
