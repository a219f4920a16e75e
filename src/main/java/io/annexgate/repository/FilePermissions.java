package io.annexgate.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** git-annex's freezing of content: objects and their directories lose their write bits. */
public final class FilePermissions {

    private static final Set<PosixFilePermission> WRITE = EnumSet.of(
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private FilePermissions() {
    }

    public static void freeze(Path path) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        if (perms.removeAll(WRITE)) {
            Files.setPosixFilePermissions(path, perms);
        }
    }

    /** Gives the owner write permission back, as git-annex does before changing a frozen directory. */
    public static void thaw(Path path) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        if (perms.add(PosixFilePermission.OWNER_WRITE)) {
            Files.setPosixFilePermissions(path, perms);
        }
    }

    /** Runs {@code action} in a thawed directory that is frozen again afterwards. */
    static <T> T inThawedDirectory(Path dir, IoAction<T> action) throws IOException {
        boolean wasFrozen = !Files.isWritable(dir) || !Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OWNER_WRITE);
        if (wasFrozen) {
            thaw(dir);
        }
        try {
            return action.run();
        } finally {
            if (wasFrozen && Files.isDirectory(dir)) {
                freeze(dir);
            }
        }
    }

    @FunctionalInterface
    interface IoAction<T> {
        T run() throws IOException;
    }
}
