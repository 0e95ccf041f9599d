package io.fastshare.spring.boot.autoconfigure.messaging;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.assertj.core.api.Assertions.fail;

/**
 * The RabbitMQ broker the project's machines run at 127.0.0.1:5672 (guest/guest); {@code .ci/run} starts it.
 * Tests that need it call {@link #require()}: without a broker they are skipped on a developer's machine and
 * fail under {@code CI=true}.
 */
final class RabbitBroker {

    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;

    private RabbitBroker() {
    }

    /** Skips the calling test when no broker answers, or fails it on CI. */
    static void require() {
        if (answers()) {
            return;
        }
        String message = "RabbitMQ does not answer at " + HOST + ":" + PORT + " (start it with rabbitmq-server -detached)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }

    static boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
