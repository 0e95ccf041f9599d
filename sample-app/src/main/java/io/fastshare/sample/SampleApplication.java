package io.fastshare.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;

/**
 * The sample: one Spring Boot application started twice, as two separate JVM processes, with the
 * profile {@code producer} or {@code consumer}.
 *
 * <pre>
 * java -jar fastshare-sample-app.jar --spring.profiles.active=consumer --server.port=8081
 * java -jar fastshare-sample-app.jar --spring.profiles.active=producer --server.port=8080 \
 *      --sample.consumer-url=http://127.0.0.1:8081
 * curl -X POST -H 'Accept: text/plain' http://127.0.0.1:8080/demo/run
 * </pre>
 *
 * <p>With {@code --server.port=0}, set the system property or environment variable {@code PORTFILE}
 * to a path: the chosen port is written there once the server listens (this is how
 * {@code run-demo.sh} and the tests find free ports without races).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    /**
     * Starts one service.
     *
     * @param args Spring Boot arguments, such as {@code --spring.profiles.active=producer}
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        if (System.getProperty("PORTFILE") != null || System.getenv("PORTFILE") != null) {
            application.addListeners(new WebServerPortFileWriter());
        }
        application.run(args);
    }
}
