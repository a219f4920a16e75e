package io.annexgate.protocol;

import java.util.UUID;

/** Identifies one held content lock between a lockcontent and its keeplocked. */
public record LockId(String value) {

    public LockId {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException("empty lock id");
        }
    }

    public static LockId random() {
        return new LockId(UUID.randomUUID().toString());
    }

    public static LockId fromWire(String text) {
        return new LockId(Base64Wrapped.decodeText(text));
    }

    public String toWire() {
        return Base64Wrapped.encode(value);
    }
}
