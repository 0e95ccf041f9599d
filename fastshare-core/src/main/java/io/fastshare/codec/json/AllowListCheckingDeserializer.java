package io.fastshare.codec.json;

import io.fastshare.codec.TypeAllowList;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.bean.BeanDeserializerBase;
import tools.jackson.databind.deser.std.DelegatingDeserializer;

/**
 * Wraps Jackson's bean deserializers (POJOs and records, the classes Jackson builds by calling their
 * constructors and setters) so that, during an untyped fastshare read, a class outside the
 * {@link TypeAllowList} is refused before it is instantiated. The list travels as a per-call attribute;
 * typed reads do not set it and pay one attribute look-up per object.
 *
 * <p>Stateless and thread-safe.
 */
final class AllowListCheckingDeserializer extends DelegatingDeserializer {

    /** Attribute key under which the allow-list of an untyped read is passed. */
    static final Object ALLOW_LIST = TypeAllowList.class;

    private final Class<?> type;

    AllowListCheckingDeserializer(ValueDeserializer<?> delegate) {
        super(delegate);
        this.type = delegate.handledType();
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> newDelegatee) {
        return new AllowListCheckingDeserializer(newDelegatee);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) {
        check(ctxt);
        return super.deserialize(p, ctxt);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt, Object intoValue) {
        check(ctxt);
        return super.deserialize(p, ctxt, intoValue);
    }

    private void check(DeserializationContext ctxt) {
        TypeAllowList allowList = (TypeAllowList) ctxt.getAttribute(ALLOW_LIST);
        if (allowList != null && type != null && !allowList.isAllowed(type)) {
            throw allowList.refusal(type.getName(), "untyped read of a JSON payload");
        }
    }

    /** Installs the wrapper around every bean deserializer Jackson builds. */
    static final class Modifier extends ValueDeserializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier beanDesc,
                ValueDeserializer<?> deserializer) {
            return deserializer instanceof BeanDeserializerBase ? new AllowListCheckingDeserializer(deserializer)
                    : deserializer;
        }
    }
}
