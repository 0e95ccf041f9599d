package io.fastshare.sample;

import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.InvalidTokenException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;

import java.io.IOException;

/**
 * Turns failed handoffs into RFC 9457 problem responses that say what went wrong, so the producer
 * (and a human with curl) sees "block not found" rather than a bare 500.
 */
@RestControllerAdvice
class ErrorResponses {

    /**
     * A token naming a block that is gone (taken, released, expired) or never existed on this host.
     *
     * @param e the error
     * @return 404 with the library's explanation
     */
    @ExceptionHandler(BlockNotFoundException.class)
    ProblemDetail blockNotFound(BlockNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /**
     * A token body the starter's converter could not resolve: a block that is gone answers 404 with the
     * library's explanation (which says whether it expired), anything else 400.
     *
     * @param e the error
     * @return 404 or 400
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadableBody(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof BlockNotFoundException notFound) {
            return blockNotFound(notFound);
        }
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /**
     * A malformed request: bad token, bad shape, a body of the wrong length.
     *
     * @param e the error
     * @return 400
     */
    @ExceptionHandler({InvalidTokenException.class, IllegalArgumentException.class, IOException.class})
    ProblemDetail badRequest(Exception e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /**
     * Any other fastshare failure (corrupt block, codec mismatch).
     *
     * @param e the error
     * @return 500 with the library's explanation
     */
    @ExceptionHandler(FastShareException.class)
    ProblemDetail fastShareFailure(FastShareException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, e.getMessage());
    }

    /**
     * The producer could not reach the consumer, or the consumer refused the handoff.
     *
     * @param e the error
     * @return 502 with the cause
     */
    @ExceptionHandler(RestClientException.class)
    ProblemDetail consumerFailure(RestClientException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, "consumer call failed: " + e.getMessage());
    }
}
