package io.annexgate.proxy.special;

import io.annexgate.repository.ByteSink;
import io.annexgate.repository.FilePermissions;
import io.annexgate.repository.ObjectContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** File-system steps git-annex's directory remote is made of, shared by its plain and exporttree forms. */
final class RemoteFiles {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Room left in a file name for what {@link #tmpName} adds, as git-annex's relatedTemplate leaves. */
    private static final int TEMPLATE_ADDED_BYTES = 20;
    private static final int NAME_MAX_BYTES = 255;

    private RemoteFiles() {
    }

    /** git-annex's {@code doesFileExist}: something that is not a directory is there (symlinks followed). */
    static boolean fileExists(Path path) {
        return Files.exists(path) && !Files.isDirectory(path);
    }

    /** git-annex's {@code preventWrite}: the write bits go (may fail on some file systems; then nothing happens). */
    static void preventWrite(Path path) {
        try {
            FilePermissions.freeze(path);
        } catch (IOException | UnsupportedOperationException e) {
            // as git-annex: "may fail on some filesystems"
        }
    }

    /** git-annex's {@code allowWrite}: the owner may write again (the removal that follows reports what matters). */
    static void allowWrite(Path path) {
        try {
            FilePermissions.thaw(path);
        } catch (IOException | UnsupportedOperationException e) {
            // the removal that follows fails if this mattered
        }
    }

    /** Deletes {@code dir} and everything below it, giving write permission back to frozen directories first. */
    static void deleteRecursively(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                allowWrite(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Removes {@code dir} and then each parent while it is empty, stopping below {@code top} or at
     * the first one that cannot be removed (git-annex's {@code removeExportLocation} and the
     * parent pass of {@code removeDirGeneric}).
     */
    static void removeEmptyDirectories(Path top, Path dir) {
        Path d = dir;
        while (d != null && d.startsWith(top) && !d.equals(top)) {
            try {
                Files.delete(d);
            } catch (NoSuchFileException e) {
                // already gone: its parent may be empty still
            } catch (IOException e) {
                return; // not empty, or not ours to remove: as git-annex, not an error
            }
            d = d.getParent();
        }
    }

    /**
     * Creates {@code dir} and its missing parents below {@code top}, which must exist (git-annex's
     * {@code createDirectoryUnder}); the directories made are added to {@code made}, outermost first.
     */
    static void createDirectoryUnder(Path top, Path dir, List<Path> made) throws IOException {
        if (!dir.startsWith(top)) {
            throw new IOException(dir + " is not below " + top);
        }
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; !d.equals(top) && !Files.isDirectory(d); d = d.getParent()) {
            missing.add(0, d);
        }
        for (Path d : missing) {
            try {
                Files.createDirectory(d);
                made.add(d);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(d)) {
                    throw e;
                }
            }
        }
    }

    /** Removes the directories {@link #createDirectoryUnder} made, innermost first, where they are still empty. */
    static void removeMade(List<Path> made) {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(made.get(i));
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * A temporary name beside a file named {@code base}, as git-annex's {@code viaTmp} makes one:
     * the base (shortened so the result stays a valid file name) with random characters and
     * {@code .tmp} after it.
     */
    static String tmpName(String base) {
        String template = base + ".tmp";
        byte[] bytes = template.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > NAME_MAX_BYTES - TEMPLATE_ADDED_BYTES) {
            int keep = NAME_MAX_BYTES - TEMPLATE_ADDED_BYTES;
            while (keep > 0 && (bytes[keep] & 0xC0) == 0x80) {
                keep--;
            }
            template = new String(bytes, 0, keep, StandardCharsets.UTF_8).replaceAll("\\.+$", "");
        }
        int dot = template.lastIndexOf('.');
        String prefix = dot > 0 ? template.substring(0, dot) : template;
        String suffix = dot > 0 ? template.substring(dot) : "";
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return prefix + HexFormat.of().formatHex(random) + suffix;
    }

    /** The remote's directory must be there: a missing one makes the remote unavailable, not empty. */
    static void requireAccessible(Path dir) throws SpecialRemote.Unavailable {
        if (!Files.isDirectory(dir)) {
            throw new SpecialRemote.Unavailable("directory " + dir + " is not accessible");
        }
    }

    /** Whether content is at any of {@code candidates}; at none only if {@code dir} is accessible. */
    static boolean presentAtAny(Path dir, List<Path> candidates) throws SpecialRemote.Unavailable {
        for (Path candidate : candidates) {
            if (fileExists(candidate)) {
                return true;
            }
        }
        requireAccessible(dir);
        return false;
    }

    /**
     * The content at the first of {@code candidates} that has it (one removed or renamed meanwhile
     * is passed over); empty only if {@code dir} is accessible.
     */
    static Optional<SpecialRemote.StoredObject> openFirst(Path dir, List<Path> candidates) throws IOException {
        for (Path candidate : candidates) {
            if (fileExists(candidate)) {
                try {
                    return Optional.of(open(candidate));
                } catch (NoSuchFileException e) {
                    // gone meanwhile: look further
                }
            }
        }
        requireAccessible(dir);
        return Optional.empty();
    }

    /** Opens content stored on the remote for sending, as the served repository's own objects are sent. */
    static SpecialRemote.StoredObject open(Path file) throws IOException {
        ObjectContent content = ObjectContent.open(file);
        return new SpecialRemote.StoredObject() {
            @Override
            public long size() {
                return content.size();
            }

            @Override
            public long transferTo(long offset, ByteSink out) throws IOException {
                return content.transferTo(offset, out, false);
            }

            @Override
            public void close() throws IOException {
                content.close();
            }
        };
    }
}
