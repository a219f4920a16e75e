package io.annexgate.proxy;

import io.annexgate.repository.AnnexRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * When and how big the files that say what a repository proxies for were last seen: its git config,
 * the journal's proxy.log and remote.log, and the git-annex branch's ref (loose or packed). Equal
 * stamps mean the proxied remotes read before still hold, so they are not read again.
 */
record ProxySettingsStamp(List<String> files) {

    static ProxySettingsStamp of(AnnexRepository repository) {
        Path git = repository.gitDir();
        List<String> seen = new ArrayList<>();
        for (Path p : List.of(git.resolve("config"), repository.journalDir().resolve("proxy.log"),
                repository.journalDir().resolve("remote.log"), git.resolve("refs/heads/git-annex"),
                git.resolve("packed-refs"))) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                seen.add(p.getFileName() + ":" + a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey());
            } catch (IOException e) {
                seen.add(p.getFileName() + ":-");
            }
        }
        return new ProxySettingsStamp(List.copyOf(seen));
    }
}
