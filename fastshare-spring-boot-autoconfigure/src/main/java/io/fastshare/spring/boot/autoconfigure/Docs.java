package io.fastshare.spring.boot.autoconfigure;

/**
 * Links to the published documentation: messages point there, never to a file path that only a checkout
 * of the repository has.
 *
 * <p>Stateless.
 */
final class Docs {

    /** Where the repository publishes the {@code docs} directory. */
    static final String BASE = "https://github.com/fastshare/fastshare-java/blob/main/docs/";

    /** The property reference. */
    static final String CONFIGURATION = BASE + "configuration.md";

    /** The operations guide. */
    static final String OPERATIONS = BASE + "operations.md";

    private Docs() {
    }
}
