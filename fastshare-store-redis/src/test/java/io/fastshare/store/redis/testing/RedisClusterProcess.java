package io.fastshare.store.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A three-node Redis Cluster (three masters, no replicas) started by the test from the same
 * {@code redis-server} binary on free local ports, formed with {@code redis-cli --cluster create}.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private final List<RedisServerProcess> nodes;

    private RedisClusterProcess(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts three nodes and forms the cluster; skips the test when the binaries are absent.
     *
     * @param dir a directory for the nodes' files
     * @return the running cluster, every slot served
     */
    public static RedisClusterProcess start(Path dir) {
        Path server = RedisTestSupport.requireRedisServerBinary();
        Path cli = server.resolveSibling("redis-cli");
        if (!cli.toFile().canExecute()) {
            org.junit.jupiter.api.Assumptions.abort("redis-cli not found beside " + server + "; it forms the cluster");
        }
        List<RedisServerProcess> nodes = new ArrayList<>();
        RedisClusterProcess cluster = new RedisClusterProcess(nodes);
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(RedisServerProcess.start(dir.resolve("node" + i), "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
            }
            List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
            for (RedisServerProcess node : nodes) {
                command.add(RedisTestSupport.HOST + ":" + node.port());
            }
            command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(command);
            cluster.awaitOk(cli);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Returns the nodes' ports.
     *
     * @return three ports on 127.0.0.1
     */
    public List<Integer> ports() {
        return nodes.stream().map(RedisServerProcess::port).toList();
    }

    private void awaitOk(Path cli) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean ok = true;
            for (RedisServerProcess node : nodes) {
                String info = run(List.of(cli.toString(), "-h", RedisTestSupport.HOST, "-p",
                        String.valueOf(node.port()), "cluster", "info"));
                ok &= info.contains("cluster_state:ok");
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Redis Cluster did not reach cluster_state:ok within 30 s");
            }
            RedisServerProcess.sleep(100);
        }
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("command failed: " + command + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (RedisServerProcess node : nodes) {
            node.close();
        }
    }
}
