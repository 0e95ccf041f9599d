package io.fastshare.sample.producer;

import io.fastshare.sample.SampleProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The producer's trigger: {@code POST /demo/run} hands the payload to the consumer by every path and
 * answers with the results, as a text table ({@code Accept: text/plain}) or as JSON.
 *
 * <pre>
 * curl -X POST -H 'Accept: text/plain' 'http://127.0.0.1:8080/demo/run?size=64MB&amp;rounds=3'
 * </pre>
 */
@RestController
@Profile("producer")
class DemoController {

    private final DemoRunner demo;
    private final SampleProperties properties;

    DemoController(DemoRunner demo, SampleProperties properties) {
        this.demo = demo;
        this.properties = properties;
    }

    /**
     * Runs the demo and returns the table.
     *
     * @param size main payload size such as {@code 256MB}; default {@code sample.size}
     * @param jsonSize size of the comparison with JSON, {@code 0} to skip; default {@code sample.json-size}
     * @param rounds measured rounds per path; default {@code sample.rounds}
     * @return the text table
     */
    @PostMapping(path = "/demo/run", produces = MediaType.TEXT_PLAIN_VALUE)
    String runAsText(@RequestParam(required = false) String size,
            @RequestParam(name = "json-size", required = false) String jsonSize,
            @RequestParam(required = false) Integer rounds) {
        return run(size, jsonSize, rounds).table();
    }

    /**
     * Runs the demo and returns the full report.
     *
     * @param size main payload size such as {@code 256MB}; default {@code sample.size}
     * @param jsonSize size of the comparison with JSON, {@code 0} to skip; default {@code sample.json-size}
     * @param rounds measured rounds per path; default {@code sample.rounds}
     * @return the report
     */
    @PostMapping(path = "/demo/run", produces = MediaType.APPLICATION_JSON_VALUE)
    DemoReport runAsJson(@RequestParam(required = false) String size,
            @RequestParam(name = "json-size", required = false) String jsonSize,
            @RequestParam(required = false) Integer rounds) {
        return run(size, jsonSize, rounds);
    }

    private DemoReport run(String size, String jsonSize, Integer rounds) {
        return demo.run(size == null ? properties.size() : DataSize.parse(size),
                jsonSize == null ? properties.jsonSize() : DataSize.parse(jsonSize),
                rounds == null ? properties.rounds() : rounds);
    }
}
