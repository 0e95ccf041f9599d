package io.fastshare.codec.serial;

import java.io.Serializable;
import java.util.List;

/** A legacy Serializable class with no getters, which only Java serialisation handles. */
public final class Account implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String owner;
    private final List<Long> history;
    private final Serializable extra;

    /**
     * Creates an account.
     *
     * @param owner owner name
     * @param history balances
     * @param extra any attached object, for the filter test
     */
    public Account(String owner, List<Long> history, Serializable extra) {
        this.owner = owner;
        this.history = history;
        this.extra = extra;
    }

    /**
     * Describes the account.
     *
     * @return owner and history
     */
    public String describe() {
        return owner + history + (extra == null ? "" : "+" + extra);
    }
}
