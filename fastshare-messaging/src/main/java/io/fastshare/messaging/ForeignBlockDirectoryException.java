package io.fastshare.messaging;

import io.fastshare.BlockNotFoundException;

/**
 * Thrown when a message's payload lives in a block directory this process cannot see: the producer runs
 * on another host, or in another pod or container that does not share the block directory. Producer and
 * consumer of a claim-check message must be co-located and use the same block directory.
 */
public class ForeignBlockDirectoryException extends BlockNotFoundException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which directory the producer used, which one the consumer has, and what to do
     */
    public ForeignBlockDirectoryException(String message) {
        super(message);
    }
}
