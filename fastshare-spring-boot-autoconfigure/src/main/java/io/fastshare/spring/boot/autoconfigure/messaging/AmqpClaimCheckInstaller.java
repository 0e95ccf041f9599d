package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.amqp.FastShareAmqpMessageConverter;
import io.fastshare.messaging.amqp.FastShareListenerAdvice;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.config.AbstractRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.beans.factory.config.BeanPostProcessor;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Installs the claim check on RabbitMQ beans as they are created: wraps the converter of a
 * {@link RabbitTemplate} the application declared itself; gives a listener container
 * factory the wrapping converter and appends {@link FastShareListenerAdvice} to its advice chain.
 *
 * <p>Thread-safe (the container calls it during startup).
 */
final class AmqpClaimCheckInstaller implements BeanPostProcessor {

    private final Supplier<@Nullable ClaimCheck> claimCheck;
    private final Supplier<@Nullable MessageConverter> applicationConverter;

    AmqpClaimCheckInstaller(Supplier<@Nullable ClaimCheck> claimCheck,
            Supplier<@Nullable MessageConverter> applicationConverter) {
        this.claimCheck = claimCheck;
        this.applicationConverter = applicationConverter;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RabbitTemplate template) {
            return installOnTemplate(template);
        }
        if (bean instanceof AbstractRabbitListenerContainerFactory<?> factory) {
            installOnFactory(factory);
        }
        return bean;
    }

    private Object installOnTemplate(RabbitTemplate template) {
        ClaimCheck check = claimCheck.get();
        if (check != null && !(template.getMessageConverter() instanceof FastShareAmqpMessageConverter)) {
            template.setMessageConverter(new FastShareAmqpMessageConverter(check, template.getMessageConverter()));
        }
        return template;
    }

    private void installOnFactory(AbstractRabbitListenerContainerFactory<?> factory) {
        ClaimCheck check = claimCheck.get();
        if (check == null) {
            return;
        }
        MessageConverter delegate = applicationConverter.get();
        factory.setMessageConverter(new FastShareAmqpMessageConverter(check,
                delegate != null ? delegate : new SimpleMessageConverter()));
        Advice[] chain = factory.getAdviceChain();
        Advice[] extended = chain == null ? new Advice[1] : Arrays.copyOf(chain, chain.length + 1);
        extended[extended.length - 1] = new FastShareListenerAdvice();
        factory.setAdviceChain(extended);
    }
}
