/**
 * The sample application: a producer and a consumer service handing off embeddings by token.
 */
@NullMarked
package io.fastshare.sample;

import org.jspecify.annotations.NullMarked;
