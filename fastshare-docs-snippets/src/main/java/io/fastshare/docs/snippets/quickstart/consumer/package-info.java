/**
 * The README Quick start's consumer: a Spring Boot service that takes the payload a token names.
 */
@NullMarked
package io.fastshare.docs.snippets.quickstart.consumer;

import org.jspecify.annotations.NullMarked;
