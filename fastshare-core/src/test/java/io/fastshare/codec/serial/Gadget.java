package io.fastshare.codec.serial;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** A Serializable class that records whether its readObject ran: it must never run when refused. */
public final class Gadget implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Set when an instance is deserialised. */
    public static volatile boolean deserialised;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        deserialised = true;
    }

    @Override
    public String toString() {
        return "Gadget";
    }
}
