package io.annexgate.service;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.annexgate.repository.AnnexRepository;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the {@code --directory} trees and asks for a rescan when a directory appears, goes or is
 * renamed, or a git repository's config changes ({@code git annex init}). Served repositories
 * themselves are not watched inside, so their own traffic causes no events.
 */
final class DirectoryWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);
    /** Events closer together than this are answered by one rescan. */
    private static final long SETTLE_MILLIS = 150;

    private final WatchService watchService;
    private final Runnable rescan;
    private final Thread thread;
    /** Repositories known to be served: skipped without reading their config again. */
    private final Predicate<Path> served;

    private DirectoryWatcher(WatchService watchService, Runnable rescan, Predicate<Path> served) {
        this.watchService = watchService;
        this.rescan = rescan;
        this.served = served;
        this.thread = Thread.ofPlatform().name("annexgate-directory-watch").daemon().unstarted(this::loop);
    }

    /** @param served whether a directory is a repository already served (it is not watched inside) */
    static DirectoryWatcher start(List<Path> tops, Runnable rescan, Predicate<Path> served) throws IOException {
        DirectoryWatcher watcher = new DirectoryWatcher(FileSystems.getDefault().newWatchService(), rescan, served);
        for (Path top : tops) {
            watcher.registerTree(top);
        }
        watcher.thread.start();
        return watcher;
    }

    /** Watches {@code top} and every directory below it that is not inside a git-annex repository. */
    private void registerTree(Path top) {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (served.test(dir) || AnnexRepository.open(dir).isPresent()) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
                    boolean gitDir = dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                            || Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"));
                    // a git repository's own directory is watched for its config, not walked
                    return gitDir ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException e) {
            log.debug("cannot watch below {}: {}", top, e.toString());
        }
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                handle(key);
                // let a burst (git init, git annex init, a move) settle, then rescan once
                WatchKey more;
                while ((more = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    handle(more);
                }
                try {
                    rescan.run();
                } catch (RuntimeException e) {
                    log.warn("rescan after a change below the served directories failed: {}", e.toString());
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void handle(WatchKey key) {
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name) {
                Path child = dir.resolve(name);
                if (Files.isDirectory(child)) {
                    registerTree(child);
                }
            } else if (event.kind() == OVERFLOW) {
                registerTree(dir);
            }
        }
        if (becameRepository(dir)) {
            // served from now on (after this rescan): its own activity is not our business
            key.cancel();
        } else {
            key.reset();
        }
    }

    private static boolean becameRepository(Path dir) {
        Path top = dir.getFileName() != null && dir.getFileName().toString().equals(".git") ? dir.getParent() : dir;
        try {
            return AnnexRepository.open(top).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing the watch service: {}", e.toString());
        }
        thread.interrupt();
    }
}
