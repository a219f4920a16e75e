package io.annexgate.repository;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * An object inserter that remembers what it inserted, so the loose object files (and the fan-out
 * directories holding them) can be forced to the disk before a ref is moved to name them.
 */
final class DurableInserter extends ObjectInserter.Filter implements AutoCloseable {

    private final ObjectInserter delegate;
    private final Path objectsDirectory;
    private final Set<ObjectId> inserted = new LinkedHashSet<>();

    DurableInserter(ObjectInserter delegate, Path objectsDirectory) {
        this.delegate = delegate;
        this.objectsDirectory = objectsDirectory;
    }

    @Override
    protected ObjectInserter delegate() {
        return delegate;
    }

    @Override
    public ObjectId insert(int type, byte[] data, int off, int len) throws IOException {
        ObjectId id = delegate.insert(type, data, off, len);
        inserted.add(id.copy());
        return id;
    }

    @Override
    public ObjectId insert(int type, long length, InputStream in) throws IOException {
        ObjectId id = delegate.insert(type, length, in);
        inserted.add(id.copy());
        return id;
    }

    /** Forces every loose object inserted so far, and the directories they are in; call after {@link #flush}. */
    void forceInserted() throws IOException {
        Set<Path> directories = new LinkedHashSet<>();
        for (ObjectId id : inserted) {
            String name = id.name();
            Path file = objectsDirectory.resolve(name.substring(0, 2)).resolve(name.substring(2));
            if (Files.isRegularFile(file)) {
                Fsync.file(file);
                directories.add(file.getParent());
            }
        }
        for (Path dir : directories) {
            Fsync.directory(dir);
        }
        if (!directories.isEmpty()) {
            Fsync.directory(objectsDirectory);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
