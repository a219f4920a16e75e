package io.annexgate.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * What makes a write survive a crash or a power loss: the file's bytes forced to the disk before
 * it is renamed into place, and the directory forced after, so the new name is on the disk too.
 * Everything the server acknowledges (a stored object, a location-log line, a retention time) goes
 * through here first.
 */
public final class Fsync {

    private Fsync() {
    }

    /** Forces a file's bytes and metadata to the disk. */
    public static void file(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Forces a directory's entries (names created, renamed or deleted in it) to the disk. */
    public static void directory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Writes {@code content} to {@code tmp}, forces it, renames it over {@code target} and forces
     * the target's directory: afterwards {@code target} holds either the old or the new content,
     * whatever happens, and the new once this returns.
     */
    public static void replace(Path tmp, Path target, byte[] content) throws IOException {
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        rename(tmp, target);
    }

    /** Renames a file that is already on the disk over {@code target}, and forces the target's directory. */
    public static void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        directory(target.toAbsolutePath().getParent());
    }
}
