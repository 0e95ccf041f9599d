package io.fastshare.spring.boot.actuate.endpoint;

import io.fastshare.InvalidTokenException;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint.BlockDescriptor;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint.BlocksDescriptor;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint.CleanupDescriptor;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint.OrphansDescriptor;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpointWebExtension.FastShareEndpointWebExtensionRuntimeHints;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link FastShareEndpoint}: the paths below
 * {@code /actuator/fastshare}, answering 400 for a path it does not know or a malformed block name and
 * 404 for a block that does not exist, as Spring Boot's Quartz endpoint does.
 * <ul>
 *   <li>{@code GET /actuator/fastshare/orphans}: the orphan blocks;</li>
 *   <li>{@code GET /actuator/fastshare/blocks}: every block with the summary (as the root path);</li>
 *   <li>{@code GET /actuator/fastshare/blocks/{name}}: one block by name or shared-memory token.</li>
 * </ul>
 *
 * <p>Thread-safe: stateless apart from the endpoint it delegates to.
 */
@EndpointWebExtension(endpoint = FastShareEndpoint.class)
@ImportRuntimeHints(FastShareEndpointWebExtensionRuntimeHints.class)
public class FastShareEndpointWebExtension {

    /** Path segment of the orphan listing. */
    public static final String ORPHANS = "orphans";

    /** Path segment of the block listing, and parent of one block's path. */
    public static final String BLOCKS = "blocks";

    private final FastShareEndpoint delegate;

    /**
     * Creates the extension.
     *
     * @param delegate the endpoint
     */
    public FastShareEndpointWebExtension(FastShareEndpoint delegate) {
        this.delegate = delegate;
    }

    /**
     * Lists the orphans ({@code orphans}) or every block ({@code blocks}).
     *
     * @param listing {@code orphans} or {@code blocks}
     * @return the listing, or 400 with a message for any other segment
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> listing(@Selector String listing) {
        if (ORPHANS.equals(listing)) {
            return new WebEndpointResponse<>(delegate.orphans());
        }
        if (BLOCKS.equals(listing)) {
            return new WebEndpointResponse<>(delegate.blocks());
        }
        return badRequest("no listing '" + listing + "': use /" + ORPHANS + ", /" + BLOCKS + " or /" + BLOCKS
                + "/{name}");
    }

    /**
     * Describes one block.
     *
     * @param blocks the segment {@code blocks}
     * @param name a block name ({@code FSHR_} and 32 hex digits) or a shared-memory token
     * @return the block; 404 when it does not exist; 400 for another first segment or a malformed name
     * @throws io.fastshare.FastShareException when the block cannot be examined
     */
    @ReadOperation
    public WebEndpointResponse<OperationResponseBody> block(@Selector String blocks, @Selector String name) {
        if (!BLOCKS.equals(blocks)) {
            return badRequest("no listing '" + blocks + "': one block is at /" + BLOCKS + "/{name}");
        }
        BlockDescriptor block;
        try {
            block = delegate.block(name);
        } catch (InvalidTokenException e) {
            return badRequest("'" + name + "' is not a block name (FSHR_ and 32 hex digits): " + e.getMessage());
        }
        return block != null ? new WebEndpointResponse<>(block)
                : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }

    private static WebEndpointResponse<OperationResponseBody> badRequest(String message) {
        return new WebEndpointResponse<>(new ErrorDescriptor(message), WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    /**
     * Body of a 400 answer.
     *
     * @param error what was wrong with the request
     */
    public record ErrorDescriptor(String error) implements OperationResponseBody {
    }

    /** Reflection hints for the descriptors, which Jackson serialises, in a native image. */
    static class FastShareEndpointWebExtensionRuntimeHints implements RuntimeHintsRegistrar {

        private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

        @Override
        public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
            bindingRegistrar.registerReflectionHints(hints.reflection(), BlocksDescriptor.class,
                    OrphansDescriptor.class, BlockDescriptor.class, CleanupDescriptor.class, ErrorDescriptor.class);
        }
    }
}
