package io.github.jakartaratelimit.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.wildfly.core.launcher.StandaloneCommandBuilder;

/**
 * A server started by a test itself, for what Arquillian's containers cannot do: read why a deployment failed, run
 * two clustered instances, kill one. Its output is kept in memory and copied to a log file.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final StringBuilder output = new StringBuilder(); // guarded by itself

    private final String name;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::drain, "payara-output-" + log.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts Payara Micro with the given arguments and JVM options; the log goes to {@code log}. */
    static ServerProcess payara(Path log, List<String> jvmOptions, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(System.getProperty("payara.microJar"));
        command.addAll(arguments);
        return start("Payara Micro", command, log);
    }

    /**
     * Starts the build's WildFly ({@code standalone.xml}) on a base directory of its own, made from the server's,
     * with the given wars deployed and every port moved by {@code portOffset}.
     */
    static ServerProcess wildfly(Path base, int portOffset, List<Path> wars) throws IOException {
        Path home = Path.of(System.getProperty("wildfly.home"));
        copy(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        for (Path war : wars) {
            Files.copy(war, base.resolve("deployments").resolve(war.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = StandaloneCommandBuilder.of(home).setBaseDirectory(base)
                .setJavaHome(System.getProperty("java.home"))
                .addJavaOptions("-Xmx512m", "-Djboss.socket.binding.port-offset=" + portOffset)
                .build();
        return start("WildFly", command, base.resolve("server.log"));
    }

    private static ServerProcess start(String name, List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        return new ServerProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start(), log);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private void drain() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                synchronized (output) {
                    output.append(line).append('\n');
                    output.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        } finally {
            synchronized (output) {
                output.notifyAll(); // wake a waiter, which then sees the process gone
            }
        }
    }

    /** Waits until the output satisfies {@code condition}; fails if the process dies or the time runs out. */
    void await(String what, Predicate<String> condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (output) {
            while (!condition.test(output.toString())) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " stopped before " + what + "; see " + log);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(name + " not " + what + " after " + seconds + " s; see " + log);
                }
                // Woken by every new line of output; the bound only lets a dead process be noticed.
                TimeUnit.NANOSECONDS.timedWait(output, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        }
    }

    /** Waits for Payara Micro's "ready in" (it says so even when a deployment failed). */
    void awaitReady() throws InterruptedException {
        await("ready", out -> out.contains("ready in"), 240);
    }

    /** Waits for WildFly to have started (WFLYSRV0025, or WFLYSRV0026 when something failed to deploy). */
    void awaitStarted() throws InterruptedException {
        await("started", out -> out.contains("WFLYSRV0025") || out.contains("WFLYSRV0026"), 240);
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** The process's id, for {@code jcmd}. */
    long pid() {
        return process.pid();
    }

    /** How often {@code text} has appeared in the output so far. */
    int count(String text) {
        String out = output();
        int count = 0;
        for (int at = out.indexOf(text); at >= 0; at = out.indexOf(text, at + 1)) {
            count++;
        }
        return count;
    }

    /** Kills the JVM at once, as a crash would: no shutdown hooks, no goodbye to the cluster. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
