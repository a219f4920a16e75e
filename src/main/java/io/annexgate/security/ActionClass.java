package io.annexgate.security;

import io.annexgate.protocol.Endpoint;

/** The kinds of action permissions are granted for. */
public enum ActionClass {
    READ, WRITE, REMOVE, LOCK;

    public static ActionClass of(Endpoint endpoint) {
        return switch (endpoint) {
            case GET, LEGACY_GET, CHECKPRESENT, GETTIMESTAMP -> READ;
            case PUT, PUTOFFSET -> WRITE;
            case REMOVE, REMOVE_BEFORE -> REMOVE;
            case LOCKCONTENT, KEEPLOCKED -> LOCK;
        };
    }
}
