/**
 * HTTP: the {@code application/vnd.fastshare.token} media type, an {@code HttpMessageConverter} that sends a
 * body as a fastshare token (the payload goes to shared memory, or inline in the token below the threshold)
 * and reads it back, and a client request factory wrapper that releases the blocks of a request once its exchange is
 * over. Needs {@code spring-web}.
 */
@NullMarked
package io.fastshare.messaging.http;

import org.jspecify.annotations.NullMarked;
