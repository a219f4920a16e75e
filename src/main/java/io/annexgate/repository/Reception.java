package io.annexgate.repository;

/** How the bytes of a put arrived, before the content is verified. */
public sealed interface Reception {

    /** Exactly the announced number of bytes arrived and were appended. */
    record Complete(long appended) implements Reception { }

    /** The body ended early (client aborted or the sender's file shrank); what came is kept for a resume. */
    record Short(long appended, long expected) implements Reception { }

    /** The body went on past the announced length; the excess was not stored. */
    record Overlong(long appended) implements Reception { }

    /**
     * The server could not write what arrived (a full disk, a read-only file system): what was
     * written before stays for a resume, the rest of the body is left unread.
     */
    record NotWritten(long appended, java.io.IOException cause) implements Reception { }

    /** The client started past what the server has: storing it would leave a gap. */
    record Gap(long clientOffset, long serverOffset) implements Reception { }
}
