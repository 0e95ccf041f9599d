package io.fastshare.bench.http;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * The receiving Spring Boot process of the HTTP benchmarks: a plain Spring MVC app on embedded
 * Tomcat with {@link ReceiveController}. Prints {@code READY} when it serves requests and exits when
 * stdin closes (its parent harness is gone). Start it with {@code --server.port=N}.
 */
@SpringBootApplication
public class HttpPeerApplication {

    /**
     * Announces readiness on stdout for the harness.
     *
     * @param event the ready event
     */
    @EventListener
    public void ready(ApplicationReadyEvent event) {
        System.out.println("READY");
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    Thread.onSpinWait();
                }
            } catch (java.io.IOException ignored) {
                // parent gone either way
            }
            System.exit(SpringApplication.exit(event.getApplicationContext()));
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Starts the app.
     *
     * @param args Spring Boot arguments, such as {@code --server.port=8081}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(HttpPeerApplication.class);
        application.setBanner((environment, sourceClass, out) -> { });
        application.run(args);
    }
}
